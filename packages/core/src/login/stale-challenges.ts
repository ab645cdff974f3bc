import type { Account } from "../ports.js";

/**
 * How many of a user's login challenges may wait at once. They share the item of the user's
 * factors (whose size every login reads), so someone who knows the password cannot grow it without
 * bound; ten covers a user signing in on several devices at once.
 */
export const MAX_WAITING_CHALLENGES = 10;
/** Removals per write, so that one write's expression stays small; what is left goes next time. */
const MAX_PRUNED_PER_WRITE = 50;

/**
 * The challenges a new one's write removes, as the account was read: the expired ones, and the
 * oldest live ones beyond the limit (so the new one makes at most MAX_WAITING_CHALLENGES).
 * Removing one that a concurrent proof has just used changes nothing.
 */
export function staleChallenges(account: Account, now: Date): string[] {
  const live = account.challenges
    .filter((c) => new Date(c.expiresAt) > now)
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  const expired = account.challenges.filter((c) => new Date(c.expiresAt) <= now);
  const evicted = live.slice(0, Math.max(0, live.length - (MAX_WAITING_CHALLENGES - 1)));
  return [...evicted, ...expired].slice(0, MAX_PRUNED_PER_WRITE).map((c) => c.idHash);
}
