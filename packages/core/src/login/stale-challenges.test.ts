import { describe, expect, it } from "vitest";
import type { Account, Challenge } from "../ports.js";
import { MAX_WAITING_CHALLENGES, staleChallenges } from "./stale-challenges.js";

const now = new Date("2026-01-01T12:00:00Z");

function challenge(name: string, createdMinutesAgo: number, ttlMinutes = 5): Challenge {
  const createdAt = new Date(now.getTime() - createdMinutesAgo * 60_000);
  return {
    idHash: name, userId: "usr_a", methods: ["totp"], epoch: 0, expiresAt: new Date(createdAt.getTime() + ttlMinutes * 60_000).toISOString(),
  };
}

const withChallenges = (challenges: Challenge[]) => ({ challenges }) as Account;

describe("staleChallenges", () => {
  it("prunes nothing while the waiting ones are live and fewer than the limit", () => {
    expect(staleChallenges(withChallenges([challenge("a", 1), challenge("b", 4)]), now)).toEqual([]);
  });

  it("prunes every expired one, the one that expires right now included", () => {
    expect(staleChallenges(withChallenges([challenge("old", 6), challenge("edge", 5), challenge("live", 2)]), now).sort()).toEqual(["edge", "old"]);
  });

  it("makes room for the new one by pruning the oldest live ones beyond the limit", () => {
    const live = Array.from({ length: MAX_WAITING_CHALLENGES + 2 }, (_, i) => challenge(`c${i}`, 4 - i * 0.1));
    // c0 is the oldest: with the new one, at most MAX_WAITING_CHALLENGES wait.
    expect(staleChallenges(withChallenges(live), now)).toEqual(["c0", "c1", "c2"]);
  });
});
