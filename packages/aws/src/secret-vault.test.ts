import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EncryptionSdkVault, rawAesKeyring } from "./secret-vault.js";

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
