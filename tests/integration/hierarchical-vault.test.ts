import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncryptionSdkVault, kmsKeyring, rawAesKeyring } from "@twofactor/aws";
import { DependencyUnavailableError } from "@twofactor/core";
import { readConfig, type RuntimeConfig } from "@twofactor/functions/config";
import { vaultFor } from "@twofactor/functions/composition";
import { startFakeKms, type FakeKms } from "../support/fake-kms.js";
import { useSystem } from "../support/system.js";

/**
 * The vault as the functions compose it (functions/composition.ts), through the KMS hierarchical keyring on
 * the embedded runtime's dynalite (the branch key store) and its local KMS endpoint, where KMS
 * requests are counted. Each test composes a fresh vault: a cold branch key cache, as in a new
 * function instance.
 */
const ctx = useSystem();
const secret = () => new Uint8Array(randomBytes(20));
const totp = (userId = `usr_${randomUUID()}`) => ({ purpose: "totp", userId });

let config: RuntimeConfig;
beforeAll(() => { config = readConfig(); });
const freshVault = (changes: Partial<RuntimeConfig> = {}) => vaultFor({ ...config, ...changes });
const kmsRequests = () => ({ ...ctx.system.kms.requests });
const delta = (before: Record<string, number>, operation: string) => (ctx.system.kms.requests[operation] ?? 0) - (before[operation] ?? 0);

describe("the hierarchical keyring vault", () => {
  it("seals and opens a secret with its context, and refuses another user's context", async () => {
    const vault = freshVault();
    const context = totp();
    const plaintext = secret();

    const sealed = await vault.seal(plaintext, context);

    expect(Buffer.from(sealed, "base64").includes(Buffer.from(plaintext))).toBe(false);
    expect(Buffer.from(await vault.open(sealed, context))).toEqual(Buffer.from(plaintext));
    expect((await vault.openAndAge(sealed, context)).sealedByOlderKeyring).toBe(false);
    await expect(vault.open(sealed, totp())).rejects.toThrow(/context/);
    await expect(freshVault().open(sealed, { ...context, purpose: "other" })).rejects.toThrow(/context/);
  });

  it("opens a secret in another function instance (another cache) and refuses a tampered one", async () => {
    const context = totp();
    const plaintext = secret();
    const sealed = await freshVault().seal(plaintext, context);

    expect(Buffer.from(await freshVault().open(sealed, context))).toEqual(Buffer.from(plaintext));
    const bytes = Buffer.from(sealed, "base64");
    bytes[bytes.length - 5]! ^= 0xff;
    const refused = await freshVault().open(bytes.toString("base64"), context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(DependencyUnavailableError);
  });

  it("asks KMS for the branch key once per record per cache period, not once per secret", async () => {
    const vault = freshVault();
    const before = kmsRequests();
    const sealed: { value: string; context: ReturnType<typeof totp> }[] = [];
    for (let i = 0; i < 20; i++) {
      const context = totp();
      sealed.push({ value: await vault.seal(secret(), context), context });
    }
    for (let round = 0; round < 10; round++) {
      for (const { value, context } of sealed) await vault.open(value, context);
    }

    // 20 seals and 200 opens: the active record once (seal), its version record once (open).
    expect(delta(before, "Decrypt")).toBeGreaterThanOrEqual(1);
    expect(delta(before, "Decrypt")).toBeLessThanOrEqual(2);
    expect(delta(before, "GenerateDataKey")).toBe(0);
    expect(delta(before, "Encrypt")).toBe(0);
  });
});

describe("a burst on a cold instance", () => {
  it("reads the branch key once for 30 concurrent opens", async () => {
    const context = totp();
    const sealed = await freshVault().seal(secret(), context);
    const cold = freshVault();
    const before = kmsRequests();

    await Promise.all(Array.from({ length: 30 }, () => cold.open(sealed, context)));

    expect(delta(before, "Decrypt")).toBe(1);
  });
});

describe("secrets sealed before the hierarchical keyring", () => {
  it("opens one sealed by the local key file's raw AES keyring, and says it is due for resealing", async () => {
    const context = totp();
    const plaintext = secret();
    const old = await new EncryptionSdkVault(rawAesKeyring(readFileSync(config.LOCAL_KEY_FILE!))).seal(plaintext, context);

    const opened = await freshVault().openAndAge(old, context);

    expect(Buffer.from(opened.plaintext)).toEqual(Buffer.from(plaintext));
    expect(opened.sealedByOlderKeyring).toBe(true);
    await expect(freshVault().open(old, totp())).rejects.toThrow(/context/);
  });

  it("opens one sealed by the plain KMS keyring (as on AWS before), with one KMS Decrypt", async () => {
    const context = totp();
    const plaintext = secret();
    const old = await new EncryptionSdkVault(kmsKeyring(config.KMS_KEY_ARN!, { endpoint: config.KMS_ENDPOINT })).seal(plaintext, context);
    const before = kmsRequests();

    const opened = await freshVault().openAndAge(old, context);

    expect(Buffer.from(opened.plaintext)).toEqual(Buffer.from(plaintext));
    expect(opened.sealedByOlderKeyring).toBe(true);
    expect(delta(before, "Decrypt")).toBe(1);
  });
});

describe("KMS or the branch key store down", () => {
  let kms: FakeKms;
  beforeAll(async () => {
    kms = await startFakeKms();
    kms.forwardTo(config.KMS_ENDPOINT!);
  });
  afterAll(async () => { await kms?.stop(); });

  it("answers DependencyUnavailableError while the branch key is not cached, and keeps serving from the cache once it is", async () => {
    const context = totp();
    const plaintext = secret();
    const sealed = await freshVault().seal(plaintext, context);

    kms.fail("internal");
    const cold = freshVault({ KMS_ENDPOINT: kms.endpoint });
    await expect(cold.open(sealed, context)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(cold.seal(plaintext, context)).rejects.toBeInstanceOf(DependencyUnavailableError);

    kms.heal();
    expect(Buffer.from(await cold.open(sealed, context))).toEqual(Buffer.from(plaintext));
    await cold.seal(plaintext, context);
    kms.fail("connection_reset");
    expect(Buffer.from(await cold.open(sealed, context))).toEqual(Buffer.from(plaintext));
    await cold.seal(plaintext, totp());
    kms.heal();
  });

  it("answers every one of concurrent opens on a cold instance DependencyUnavailableError while KMS is down", async () => {
    const context = totp();
    const sealed = await freshVault().seal(secret(), context);
    kms.fail("internal");
    try {
      const cold = freshVault({ KMS_ENDPOINT: kms.endpoint });
      const answers = await Promise.all(Array.from({ length: 10 }, () => cold.open(sealed, context).catch((e: unknown) => e)));
      for (const answer of answers) expect(answer).toBeInstanceOf(DependencyUnavailableError);
    } finally {
      kms.heal();
    }
  });

  it("answers DependencyUnavailableError when the branch key store cannot be read", async () => {
    const context = totp();
    const sealed = await freshVault().seal(secret(), context);

    const refused = await freshVault({ DYNAMODB_ENDPOINT: "http://127.0.0.1:9" }).open(sealed, context).catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(DependencyUnavailableError);
  });
});
