import type { DomainEvent } from "@twofactor/events";
import type { EnforcementHolds, FlagReason, HoldState } from "@twofactor/core";
import { KEY_ATTRIBUTE_PREFIX } from "./factors-store.js";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import type { Item, Table } from "./table.js";

/** Each team's hold is a top-level map `hold:<teamId>` = {g: generation, on, flagged?} on the FACTORS item. */
export const HOLD_ATTRIBUTE_PREFIX = "hold:";

interface StoredHold {
  g: number;
  on: boolean;
  flagged?: FlagReason;
}

/** The teams holding the user, from their FACTORS item. */
export function holdingTeams(item: Item | undefined): string[] {
  return Object.entries(item ?? {})
    .filter(([name, hold]) => name.startsWith(HOLD_ATTRIBUTE_PREFIX) && (hold as StoredHold).on)
    .map(([name]) => name.slice(HOLD_ATTRIBUTE_PREFIX.length))
    .sort();
}

/**
 * Holds live beside the factors, so that a flag for setup is one conditional write on the factors
 * as read (an activation racing with the flag makes one of them lose and decide again), and the
 * login reads the holds with the account in its one query.
 */
export class HoldsStore implements EnforcementHolds {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async hold(userId: string, teamId: string, generation: number, on: boolean, flag?: { reason: FlagReason; owed: readonly DomainEvent[] }): Promise<HoldState> {
    const hold = { "#hold": HOLD_ATTRIBUTE_PREFIX + teamId, "#on": "on" };
    // A newer generation stands; the same one is written once per state.
    const newer = "(attribute_not_exists(#hold) OR #hold.g < :g OR (#hold.g = :g AND #hold.#on <> :on))";
    if (on && flag) {
      // A member who never had a factor (no factorsVersion: every factor change bumps it) is held
      // and flagged in one write; anyone else takes the two-step path below.
      const flagged = await this.outbox.write(keys.factors(userId), {
        set: { [HOLD_ATTRIBUTE_PREFIX + teamId]: { g: generation, on, flagged: flag.reason } },
        add: { holdsVersion: 1 },
        condition: `${newer} AND attribute_not_exists(factorsVersion)`,
        names: hold,
        values: { ":g": generation, ":on": on },
      }, flag.owed);
      if (flagged) return toHoldState(flagged, teamId);
    }
    const item = await this.table.update(keys.factors(userId), {
      set: { [HOLD_ATTRIBUTE_PREFIX + teamId]: { g: generation, on } },
      // A removal of the last factor decided on the holds as read loses to this (FactorsStore).
      add: { holdsVersion: 1 },
      condition: newer,
      names: hold,
      values: { ":g": generation, ":on": on },
    });
    return toHoldState(item ?? (await this.table.get(keys.factors(userId))), teamId);
  }

  async flag(userId: string, teamId: string, generation: number, reason: FlagReason, factorsVersion: number, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.factors(userId), {
      setPaths: ["#hold.flagged = :reason"],
      condition: `#hold.g = :g AND #hold.#on = :true AND attribute_not_exists(#hold.flagged) AND ${
        factorsVersion === 0 ? "attribute_not_exists(factorsVersion)" : "factorsVersion = :version"}`,
      names: { "#hold": HOLD_ATTRIBUTE_PREFIX + teamId, "#on": "on" },
      values: { ":g": generation, ":true": true, ":reason": reason, ...(factorsVersion === 0 ? {} : { ":version": factorsVersion }) },
    }, owed);
    return item !== undefined;
  }

  async read(userId: string, teamId = ""): Promise<HoldState> {
    return toHoldState(await this.table.get(keys.factors(userId)), teamId);
  }
}

function toHoldState(item: Item | undefined, teamId: string): HoldState {
  const hold = item?.[HOLD_ATTRIBUTE_PREFIX + teamId] as StoredHold | undefined;
  const twoFactorEnabled = item?.totpStatus === "active" || Object.keys(item ?? {}).some((name) => name.startsWith(KEY_ATTRIBUTE_PREFIX));
  return {
    twoFactorEnabled,
    factorsVersion: (item?.factorsVersion as number | undefined) ?? 0,
    enforcedBy: holdingTeams(item),
    generation: hold?.g ?? 0,
    ...(hold?.on && hold.flagged ? { flaggedBy: hold.flagged } : {}),
  };
}
