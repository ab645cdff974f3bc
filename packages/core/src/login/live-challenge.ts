import { challengeLive } from "../fence/fence.js";
import type { Account, Challenge } from "../ports.js";

/** The account's login challenge with this id hash, if it has not expired at `now` and the epoch it was issued under stands. */
export function liveChallenge(account: Account, idHash: string, now: Date): Challenge | undefined {
  const challenge = account.challenges.find((candidate) => candidate.idHash === idHash);
  return challenge && challengeLive(challenge, account, now) ? challenge : undefined;
}
