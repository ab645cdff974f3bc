import { randomBytes } from "node:crypto";
import {
  DecryptCommand, DependencyTimeoutException, DisabledException, GenerateDataKeyCommand, IncorrectKeyException,
  InvalidCiphertextException, KeyUnavailableException, KMS, KMSInternalException, KMSInvalidStateException, KMSServiceException,
  NotFoundException, type DecryptCommandInput, type GenerateDataKeyCommandInput,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { DependencyUnavailableError } from "@twofactor/core";
import { EncryptionSdkVault, kmsKeyring, rawAesKeyring } from "./secret-vault.js";

describe("EncryptionSdkVault (raw AES key ring)", () => {
  const vault = new EncryptionSdkVault(rawAesKeyring(randomBytes(32)));
  const secret = new Uint8Array(randomBytes(20));

  it("seals to ciphertext that does not contain the secret, and opens it with the same context", async () => {
    const sealed = await vault.seal(secret, { purpose: "totp", userId: "usr_a" });
    expect(Buffer.from(sealed, "base64").includes(Buffer.from(secret))).toBe(false);
    expect(Buffer.from(await vault.open(sealed, { purpose: "totp", userId: "usr_a" }))).toEqual(Buffer.from(secret));
  });

  it("refuses to open with another user's context", async () => {
    const sealed = await vault.seal(secret, { purpose: "totp", userId: "usr_a" });
    await expect(vault.open(sealed, { purpose: "totp", userId: "usr_b" })).rejects.toThrow(/context/);
  });

  it("refuses a secret sealed under another key", async () => {
    const other = new EncryptionSdkVault(rawAesKeyring(randomBytes(32)));
    const sealed = await other.seal(secret, { purpose: "totp", userId: "usr_a" });
    await expect(vault.open(sealed, { purpose: "totp", userId: "usr_a" })).rejects.toThrow();
  });
});

/**
 * KMS cannot run here: its client is mocked at the SDK boundary, as a tiny KMS that wraps data keys
 * with their encryption context, or fails the way the real one does.
 */
describe("EncryptionSdkVault (KMS key ring)", () => {
  const ARN = "arn:aws:kms:eu-west-1:111122223333:key/0d2a1f3c-6a5e-4a77-9f0e-4d1b2c3d4e5f";
  const client = new KMS({ region: "eu-west-1" });
  const kms = mockClient(client);
  const vault = new EncryptionSdkVault(kmsKeyring(ARN, { client }));
  const context = { purpose: "totp", userId: "usr_a" };
  const secret = new Uint8Array(randomBytes(20));

  const wrap = (key: Uint8Array, encryptionContext: Record<string, string> | undefined) =>
    new Uint8Array(Buffer.from(JSON.stringify({ key: Buffer.from(key).toString("base64"), encryptionContext })));
  function healthy() {
    kms.reset();
    kms.on(GenerateDataKeyCommand).callsFake((input: GenerateDataKeyCommandInput) => {
      const key = new Uint8Array(randomBytes(input.NumberOfBytes ?? 32));
      return { KeyId: input.KeyId, Plaintext: new Uint8Array(key), CiphertextBlob: wrap(key, input.EncryptionContext) };
    });
    kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
      const { key, encryptionContext } = JSON.parse(Buffer.from(input.CiphertextBlob!).toString());
      if (JSON.stringify(encryptionContext) !== JSON.stringify(input.EncryptionContext)) {
        throw new InvalidCiphertextException({ $metadata: { httpStatusCode: 400 }, message: "context" });
      }
      return { KeyId: input.KeyId, Plaintext: new Uint8Array(Buffer.from(key, "base64")) };
    });
  }
  beforeEach(healthy);

  const serviceError = (name: string, status: number) => new KMSServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message: name });
  const outages: [string, Error][] = [
    ["throttling", serviceError("ThrottlingException", 400)],
    ["an internal error", new KMSInternalException({ $metadata: { httpStatusCode: 500 }, message: "internal" })],
    ["a dependency timeout", new DependencyTimeoutException({ $metadata: { httpStatusCode: 503 }, message: "timeout" })],
    ["an unavailable key", new KeyUnavailableException({ $metadata: { httpStatusCode: 500 }, message: "unavailable" })],
    ["a disabled key", new DisabledException({ $metadata: { httpStatusCode: 400 }, message: "disabled" })],
    ["a key pending deletion", new KMSInvalidStateException({ $metadata: { httpStatusCode: 400 }, message: "pending deletion" })],
    ["an unmodelled 5xx", serviceError("ServiceUnavailableException", 503)],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" })],
    ["a reset connection", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
    ["an unknown host", Object.assign(new Error("getaddrinfo ENOTFOUND kms.eu-west-1.amazonaws.com"), { code: "ENOTFOUND" })],
    ["a request timeout", Object.assign(new Error("Connection timed out after 1000 ms"), { name: "TimeoutError" })],
  ];

  it("seals and opens through KMS, with the encryption context", async () => {
    const sealed = await vault.seal(secret, context);
    expect(Buffer.from(await vault.open(sealed, context))).toEqual(Buffer.from(secret));
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toMatchObject({ KeyId: ARN, EncryptionContext: context });
  });

  it.each(outages)("answers DependencyUnavailableError when sealing meets %s", async (_, error) => {
    kms.on(GenerateDataKeyCommand).rejects(error);
    const refused = await vault.seal(secret, context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DependencyUnavailableError);
    expect((refused as DependencyUnavailableError).cause).toBe(error);
  });

  it.each(outages)("answers DependencyUnavailableError when opening meets %s", async (_, error) => {
    const sealed = await vault.seal(secret, context);
    kms.on(DecryptCommand).rejects(error);
    const refused = await vault.open(sealed, context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DependencyUnavailableError);
    expect((refused as DependencyUnavailableError).cause).toBe(error);
  });

  it.each([
    ["a ciphertext KMS calls invalid", new InvalidCiphertextException({ $metadata: { httpStatusCode: 400 }, message: "invalid" })],
    ["another key's ciphertext", new IncorrectKeyException({ $metadata: { httpStatusCode: 400 }, message: "incorrect key" })],
    ["a missing key", new NotFoundException({ $metadata: { httpStatusCode: 400 }, message: "not found" })],
    ["a missing permission", serviceError("AccessDeniedException", 400)],
  ])("keeps %s a genuine error, not an outage", async (_, error) => {
    const sealed = await vault.seal(secret, context);
    kms.on(DecryptCommand).rejects(error);
    const refused = await vault.open(sealed, context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(DependencyUnavailableError);
  });

  it("keeps a context mismatch and a corrupt ciphertext genuine errors, without asking KMS about the latter", async () => {
    const sealed = await vault.seal(secret, context);
    const mismatch = await vault.open(sealed, { purpose: "totp", userId: "usr_b" }).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(Error);
    expect(mismatch).not.toBeInstanceOf(DependencyUnavailableError);

    kms.resetHistory();
    const bytes = Buffer.from(sealed, "base64");
    bytes[bytes.length - 5]! ^= 0xff; // inside the authentication tag
    const corrupt = await vault.open(bytes.toString("base64"), context).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(Error);
    expect(corrupt).not.toBeInstanceOf(DependencyUnavailableError);
    const garbage = await vault.open("bm90IGEgbWVzc2FnZQ==", context).catch((e: unknown) => e);
    expect(garbage).not.toBeInstanceOf(DependencyUnavailableError);
  });

  it("tells outages apart per operation: a concurrent open's outage does not leak into another's genuine error", async () => {
    const sealed = await vault.seal(secret, context);
    let calls = 0;
    kms.on(DecryptCommand).callsFake(async () => {
      const call = ++calls;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw call === 1 ? new KMSInternalException({ $metadata: { httpStatusCode: 500 }, message: "internal" }) : new InvalidCiphertextException({ $metadata: { httpStatusCode: 400 }, message: "invalid" });
    });
    const [first, second] = await Promise.all([vault.open(sealed, context).catch((e: unknown) => e), vault.open(sealed, context).catch((e: unknown) => e)]);
    expect(first).toBeInstanceOf(DependencyUnavailableError);
    expect(second).not.toBeInstanceOf(DependencyUnavailableError);
  });
});
