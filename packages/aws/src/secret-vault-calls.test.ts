import { randomBytes } from "node:crypto";
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { EncryptionSdkVault, kmsKeyring } from "./secret-vault.js";

const secret = new Uint8Array(randomBytes(20));

/**
 * With KMS, what the vault calls is what the functions' roles and the key policy must allow:
 * sealing makes a data key (GenerateDataKey), opening unwraps one (Decrypt), each with the
 * encryption context the key policy conditions on; Encrypt is never called.
 */
describe("EncryptionSdkVault (KMS key ring): the KMS calls behind seal and open", () => {
  const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000";
  const kms = mockClient(KMSClient);
  const dataKey = randomBytes(32);
  const wrapped = randomBytes(64);
  beforeEach(() => {
    kms.reset();
    kms.on(GenerateDataKeyCommand).resolves({ KeyId: KEY_ARN, Plaintext: new Uint8Array(dataKey), CiphertextBlob: new Uint8Array(wrapped) });
    kms.on(DecryptCommand).resolves({ KeyId: KEY_ARN, Plaintext: new Uint8Array(dataKey) });
  });
  afterAll(() => kms.restore());

  it("seals with GenerateDataKey and opens with Decrypt, both bound to purpose totp", async () => {
    const vault = new EncryptionSdkVault(kmsKeyring(KEY_ARN));
    const context = { purpose: "totp", userId: "usr_a" };
    const sealed = await vault.seal(secret, context);
    expect(kms.calls().map((call) => call.args[0].constructor.name)).toEqual(["GenerateDataKeyCommand"]);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: context });

    kms.resetHistory();
    expect(Buffer.from(await vault.open(sealed, context))).toEqual(Buffer.from(secret));
    expect(kms.calls().map((call) => call.args[0].constructor.name)).toEqual(["DecryptCommand"]);
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: context });
    expect(kms.commandCalls(EncryptCommand)).toEqual([]);
  });
});
