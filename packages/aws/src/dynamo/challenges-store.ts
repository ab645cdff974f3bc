import type { Challenge, Challenges } from "@twofactor/core";
import { keys } from "./keys.js";
import { OWED_ATTRIBUTE } from "./outbox.js";
import { epochSeconds, type Item, type Table } from "./table.js";

/**
 * Each login challenge is a top-level map attribute `challenge:<idHash>` of the user's FACTORS item,
 * beside the factors it is answered with: the account query reads it, and the proof's conditional
 * write removes it (FactorsStore), so completing a login costs no request of its own.
 */
export const CHALLENGE_ATTRIBUTE_PREFIX = "challenge:";

export class ChallengesStore implements Challenges {
  constructor(private readonly table: Table) {}

  /**
   * An update, never a put. It must exist already (a challenge is only made for a user with a
   * second factor), so no stray item is created. What the item's last write owed leaves with it:
   * the stream has those events already, and the item stays small for the proof's write.
   */
  async create(challenge: Challenge, prune: readonly string[]): Promise<void> {
    const { idHash, userId, methods, expiresAt, epoch } = challenge;
    // Only what the proof needs: it shares the item that every login writes twice, billed by its size.
    const stored = await this.table.update(keys.factors(userId), {
      set: { [CHALLENGE_ATTRIBUTE_PREFIX + idHash]: { methods, expiresAt: epochSeconds(expiresAt), epoch } },
      remove: [...prune.filter((stale) => stale !== idHash).map((stale) => CHALLENGE_ATTRIBUTE_PREFIX + stale), OWED_ATTRIBUTE],
      condition: "attribute_exists(pk)",
    });
    if (!stored) throw new Error(`no factors item for ${userId}: a login challenge is only made for a user with a second factor`);
  }
}

/** The challenges stored on a FACTORS item, as the domain sees them. */
export function toChallenges(userId: string, factors: Item | undefined): Challenge[] {
  return Object.entries(factors ?? {})
    .filter(([name]) => name.startsWith(CHALLENGE_ATTRIBUTE_PREFIX))
    .map(([name, value]) => {
      const stored = value as Item;
      return {
        idHash: name.slice(CHALLENGE_ATTRIBUTE_PREFIX.length),
        userId,
        methods: stored.methods as Challenge["methods"],
        expiresAt: new Date((stored.expiresAt as number) * 1000).toISOString(),
        epoch: (stored.epoch as number | undefined) ?? 0,
      };
    });
}
