import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keys } from "@twofactor/aws";
import type { Budget, Challenge, FactorChange } from "@twofactor/core";
import { aSecurityKey } from "../support/store-keys.js";
import { useSystem } from "../support/system.js";

/**
 * Login challenges wait on the user's FACTORS item, and the proof that completes one removes it in
 * the same conditional write as its claim: on the embedded dynalite (no fakes), a challenge is used
 * at most once however proofs race, never after it expired, and a new one's write prunes the ones
 * named to it.
 */
const ctx = useSystem();

const budget: Budget = { scope: "second_factor", maxFailures: 5, lockSeconds: 900 };

/** A user with one security key (a FACTORS item) whose counter each proof raises. */
async function userWithKey() {
  const userId = `usr_${randomUUID()}`;
  const key = aSecurityKey();
  const added = await ctx.system.runtime.deps.factors.apply(userId, { claim: { kind: "none" }, effect: { kind: "add_key", key }, expectedVersion: 0, expectedEpoch: 0, at: new Date() }, budget, []);
  expect(added).toBe("applied");
  return { userId, keyId: key.id };
}

function aChallenge(userId: string, expiresInMs = 300_000, createdAt = new Date()): Challenge {
  return {
    idHash: randomBytes(32).toString("hex"), userId, methods: ["webauthn"], expiresAt: new Date(createdAt.getTime() + expiresInMs).toISOString(), epoch: 0,
  };
}

const proof = (keyId: string, counter: number, challenge: string, at = new Date()): FactorChange =>
  ({ claim: { kind: "key_counter", keyId, counter }, effect: { kind: "none" }, challenge, expectedEpoch: 0, at });

const storedChallenges = async (userId: string) =>
  Object.keys((await ctx.system.runtime.table.get(keys.factors(userId))) ?? {}).filter((name) => name.startsWith("challenge:")).sort();

describe("login challenges on the factors item", () => {
  it("lets one of two racing proofs (each with a fresh claim) complete a challenge; the other finds it used", async () => {
    const { challenges, factors } = ctx.system.runtime.deps;
    const { userId, keyId } = await userWithKey();
    const challenge = aChallenge(userId);
    await challenges.create(challenge, []);
    const raced = await Promise.all([
      factors.apply(userId, proof(keyId, 1, challenge.idHash), budget, []),
      factors.apply(userId, proof(keyId, 2, challenge.idHash), budget, []),
    ]);
    expect(raced.filter((r) => r === "applied")).toHaveLength(1);
    expect(raced.filter((r) => r !== "applied")).toEqual([expect.stringMatching(/^(challenge_used|claim_used)$/)]);
    expect(await factors.apply(userId, proof(keyId, 3, challenge.idHash), budget, [])).toBe("challenge_used");
    expect(await storedChallenges(userId)).toEqual([]);
  });

  it("refuses a challenge past its expiry though it is still stored, and leaves the claim unused", async () => {
    const { challenges, factors } = ctx.system.runtime.deps;
    const { userId, keyId } = await userWithKey();
    const challenge = aChallenge(userId, 60_000);
    await challenges.create(challenge, []);
    expect(await factors.apply(userId, proof(keyId, 1, challenge.idHash, new Date(Date.now() + 61_000)), budget, [])).toBe("challenge_used");
    expect(await storedChallenges(userId)).toEqual([`challenge:${challenge.idHash}`]);
    // The counter did not move: the same claim still works on a live challenge.
    const live = aChallenge(userId);
    await challenges.create(live, [challenge.idHash]);
    expect(await factors.apply(userId, proof(keyId, 1, live.idHash), budget, [])).toBe("applied");
    expect(await storedChallenges(userId)).toEqual([]);
  });

  it("answers a used claim before a used challenge: a double-click is the same 401 either way", async () => {
    const { challenges, factors } = ctx.system.runtime.deps;
    const { userId, keyId } = await userWithKey();
    const challenge = aChallenge(userId);
    await challenges.create(challenge, []);
    expect(await factors.apply(userId, proof(keyId, 1, challenge.idHash), budget, [])).toBe("applied");
    expect(await factors.apply(userId, proof(keyId, 1, challenge.idHash), budget, [])).toBe("claim_used");
  });

  it("stores a new challenge and removes the pruned ones in one write, keeping the others", async () => {
    const { challenges } = ctx.system.runtime.deps;
    const { userId } = await userWithKey();
    const [old, kept, fresh] = [aChallenge(userId, -1), aChallenge(userId), aChallenge(userId)];
    await challenges.create(old, []);
    await challenges.create(kept, []);
    await challenges.create(fresh, [old.idHash, randomBytes(32).toString("hex")]);
    expect(await storedChallenges(userId)).toEqual([`challenge:${kept.idHash}`, `challenge:${fresh.idHash}`].sort());
  });

  it("makes no factors item for a user without one", async () => {
    const userId = `usr_${randomUUID()}`;
    await expect(ctx.system.runtime.deps.challenges.create(aChallenge(userId), [])).rejects.toThrow(/no factors item/);
    expect(await ctx.system.runtime.table.get(keys.factors(userId))).toBeUndefined();
  });
});
