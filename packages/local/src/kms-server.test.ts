import { randomBytes } from "node:crypto";
import {
  DecryptCommand, GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand, InvalidCiphertextException, KMSClient, NotFoundException,
  ReEncryptCommand, ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalKms, type LocalKms } from "./kms-server.js";
import { newLocalCredentials } from "./sigv4-guard.js";

/** The local KMS through the real SDK client, as the branch key store and KMS keyring call it. */
describe("the local KMS endpoint", () => {
  let kms: LocalKms;
  let client: KMSClient;
  beforeAll(async () => {
    const credentials = newLocalCredentials();
    kms = await startLocalKms({ masterKey: randomBytes(32), region: "us-east-1", credentials });
    client = new KMSClient({ endpoint: kms.endpoint, region: "us-east-1", credentials });
  });
  afterAll(async () => { client?.destroy(); await kms?.stop(); });
  const context = { tablename: "branch-keys", "branch-key-id": "totp-secrets" };

  it("makes a data key that Decrypt gives back under the same context only", async () => {
    const made = await client.send(new GenerateDataKeyCommand({ KeyId: kms.keyArn, NumberOfBytes: 32, EncryptionContext: context }));
    const opened = await client.send(new DecryptCommand({ KeyId: kms.keyArn, CiphertextBlob: made.CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(opened.Plaintext!)).toEqual(Buffer.from(made.Plaintext!));
    expect(opened.KeyId).toBe(kms.keyArn);
    await expect(client.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: { ...context, tablename: "other" } })))
      .rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(client.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob }))).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it("re-encrypts under another context without showing the key, as createKey uses it", async () => {
    const made = await client.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: kms.keyArn, NumberOfBytes: 32, EncryptionContext: context }));
    expect(made).not.toHaveProperty("Plaintext");
    const active = { ...context, type: "branch:ACTIVE" };
    const moved = await client.send(new ReEncryptCommand({
      CiphertextBlob: made.CiphertextBlob, SourceKeyId: kms.keyArn, SourceEncryptionContext: context, DestinationKeyId: kms.keyArn, DestinationEncryptionContext: active,
    }));
    const fromVersion = await client.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: context }));
    const fromActive = await client.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: active }));
    expect(Buffer.from(fromActive.Plaintext!)).toEqual(Buffer.from(fromVersion.Plaintext!));
  });

  it("refuses another key, a ciphertext it did not make, and operations it does not offer; and counts each request", async () => {
    const before = { ...kms.requests };
    await expect(client.send(new DecryptCommand({ KeyId: kms.keyArn.replace(/c0de$/, "beef"), CiphertextBlob: new Uint8Array(40) })))
      .rejects.toBeInstanceOf(NotFoundException);
    await expect(client.send(new DecryptCommand({ CiphertextBlob: randomBytes(64) }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(client.send(new ScheduleKeyDeletionCommand({ KeyId: kms.keyArn }))).rejects.toThrow(/not offered/);
    expect((kms.requests.Decrypt ?? 0) - (before.Decrypt ?? 0)).toBe(2);
    expect((kms.requests.ScheduleKeyDeletion ?? 0) - (before.ScheduleKeyDeletion ?? 0)).toBe(1);
  });
});
