import type { Account, Challenge } from "../ports.js";

/** The account's login challenge with this id hash, if it has not expired at `now`. */
export function liveChallenge(account: Account, idHash: string, now: Date): Challenge | undefined {
  const challenge = account.challenges.find((candidate) => candidate.idHash === idHash);
  return challenge && new Date(challenge.expiresAt) > now ? challenge : undefined;
}
