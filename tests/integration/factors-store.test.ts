import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keys } from "@twofactor/aws";
import type { Budget, SecurityKey } from "@twofactor/core";
import { useSystem } from "../support/system.js";

/**
 * The conditional writes that carry the second-factor invariants, on the embedded dynalite the
 * system really uses (no fakes): counters only rise, budgets cannot be overdrawn by a burst,
 * factor changes are decided on the version read, credential ids belong to one account, WebAuthn
 * challenges are consumed once.
 */
const ctx = useSystem();

function aKey(counter = 0): SecurityKey {
  return {
    id: randomBytes(16).toString("base64url"),
    publicKey: randomBytes(77).toString("base64url"),
    counter,
    transports: ["usb"],
    aaguid: "00000000-0000-0000-0000-000000000000",
    backedUp: false,
    name: "test key",
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
  };
}

const userId = () => `usr_${randomUUID()}`;
const budget: Budget = { scope: "second_factor", maxFailures: 5, lockSeconds: 900 };
const useKey = (keyId: string, counter: number) => ({ claim: { kind: "key_counter", keyId, counter } as const, effect: { kind: "none" } as const, expectedEpoch: 0, at: new Date() });

async function withKey(counter: number) {
  const { factors } = ctx.system.runtime.deps;
  const user = userId();
  const key = aKey(counter);
  expect(await factors.apply(user, { claim: { kind: "none" }, effect: { kind: "add_key", key }, expectedVersion: 0, expectedEpoch: 0, at: new Date() }, budget, [])).toBe("applied");
  return { user, key };
}

describe("FactorsStore on dynalite", () => {
  it("lets a counter only rise: of two racing uses of one counter value exactly one wins", async () => {
    const { factors } = ctx.system.runtime.deps;
    const { user, key } = await withKey(5);
    const raced = await Promise.all([factors.apply(user, useKey(key.id, 6), budget, []), factors.apply(user, useKey(key.id, 6), budget, [])]);
    expect(raced.sort()).toEqual(["applied", "claim_used"]);
    expect(await factors.apply(user, useKey(key.id, 4), budget, [])).toBe("claim_used");
    expect(await factors.apply(user, useKey(key.id, 7), budget, [])).toBe("applied");
    expect((await ctx.system.runtime.table.get(keys.factors(user)))?.[`key:${key.id}`]).toMatchObject({ counter: 7 });
  });

  it("keeps accepting an authenticator whose counter is always 0, until it once reports more", async () => {
    const { factors } = ctx.system.runtime.deps;
    const { user, key } = await withKey(0);
    expect(await factors.apply(user, useKey(key.id, 0), budget, [])).toBe("applied");
    expect(await factors.apply(user, useKey(key.id, 0), budget, [])).toBe("applied");
    expect(await factors.apply(user, useKey(key.id, 3), budget, [])).toBe("applied");
    expect(await factors.apply(user, useKey(key.id, 0), budget, [])).toBe("claim_used");
  });

  it("refuses a change decided on factors that changed meanwhile: of two racing key additions one wins", async () => {
    const { factors } = ctx.system.runtime.deps;
    const user = userId();
    const add = () => factors.apply(user, { claim: { kind: "none" }, effect: { kind: "add_key", key: aKey() }, expectedVersion: 0, expectedEpoch: 0, at: new Date() }, budget, []);
    expect((await Promise.all([add(), add(), add()])).sort()).toEqual(["applied", "conflict", "conflict"]);
  });

  it("counts at most the budget's failures however many arrive at once, and locks once", async () => {
    const { attempts } = ctx.system.runtime.deps;
    const { user, key } = await withKey(0);
    const now = new Date();
    const counts = await Promise.all(Array.from({ length: 30 }, () => attempts.countFailure(user, budget, now, [])));
    expect(counts.filter((c) => c !== undefined).sort()).toEqual([1, 2, 3, 4, 5]);
    const until = new Date(now.getTime() + 900_000);
    const locks = await Promise.all(Array.from({ length: 5 }, () => attempts.lock(user, budget, until, [])));
    expect(locks.filter(Boolean)).toHaveLength(1);
    // Even a right answer's claim is refused while locked, and counts nothing.
    expect(await ctx.system.runtime.deps.factors.apply(user, useKey(key.id, 1), budget, [])).toBe("locked");
    expect(await attempts.read(user, "second_factor")).toMatchObject({ failures: 0, lockedUntil: until.toISOString() });
    // After the lock the count starts again.
    const later = new Date(until.getTime() + 1000);
    expect(await attempts.countFailure(user, budget, later, [])).toBe(1);
  });
});

describe("CredentialClaimsStore on dynalite", () => {
  it("gives a credential id to one account only, again to its owner, and frees it for its owner alone", async () => {
    const { credentials } = ctx.system.runtime.deps;
    const id = randomBytes(16).toString("base64url");
    const [a, b] = [userId(), userId()];
    const raced = await Promise.all([credentials.claim(id, a), credentials.claim(id, b)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    const [owner, other] = raced[0] ? [a, b] : [b, a];
    expect(await credentials.claim(id, owner)).toBe(true);
    await credentials.release(id, other);
    expect(await credentials.claim(id, other)).toBe(false);
    await credentials.release(id, owner);
    expect(await credentials.claim(id, other)).toBe(true);
  });
});

describe("WebAuthnChallengesStore on dynalite", () => {
  it("consumes a challenge exactly once, even when two requests race", async () => {
    const { webauthnChallenges } = ctx.system.runtime.deps;
    const challengeHash = randomBytes(32).toString("hex");
    await webauthnChallenges.create({ challengeHash, ceremony: "registration", userId: userId(), expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(await webauthnChallenges.find(challengeHash, new Date())).toMatchObject({ ceremony: "registration" });

    const raced = await Promise.all([webauthnChallenges.consume(challengeHash), webauthnChallenges.consume(challengeHash)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await webauthnChallenges.consume(challengeHash)).toBe(false);
    expect(await webauthnChallenges.find(challengeHash, new Date())).toBeUndefined();
  });

  it("does not find a challenge past its five minutes, though TTL has not removed it", async () => {
    const { webauthnChallenges } = ctx.system.runtime.deps;
    const challengeHash = randomBytes(32).toString("hex");
    const now = new Date();
    await webauthnChallenges.create({ challengeHash, ceremony: "authentication", userId: userId(), boundTo: "x", expiresAt: new Date(now.getTime() + 300_000).toISOString() });
    expect(await webauthnChallenges.find(challengeHash, new Date(now.getTime() + 299_000))).toBeDefined();
    expect(await webauthnChallenges.find(challengeHash, new Date(now.getTime() + 301_000))).toBeUndefined();
  });
});
