import type { DomainEvent } from "@twofactor/events";
import type { SecurityState, Session, Sessions } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { toSecurityState } from "./security-state.js";
import { epochSeconds, type Item, type Table } from "./table.js";

/**
 * Keyed by the user and the token's SHA-256 (the token itself is never stored). A lookup reads the
 * session and the user's FACTORS item in one BatchGetItem, so the fence costs no round trip.
 */
export class SessionsStore implements Sessions {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async create(session: Session, owed: readonly DomainEvent[]): Promise<void> {
    const { tokenHash, expiresAt, userId, ...rest } = session;
    await this.outbox.write(keys.session(userId, tokenHash), {
      set: { ...rest, userId, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) },
      condition: "attribute_not_exists(pk)",
    }, owed);
  }

  async lookup(userId: string, tokenHash: string, now: Date): Promise<{ session?: Session; state: SecurityState }> {
    const sessionKey = keys.session(userId, tokenHash);
    const items = await this.table.getMany([sessionKey, keys.factors(userId)]);
    const stored = items.find((item) => item.pk === sessionKey.pk);
    const factors = items.find((item) => item.sk === "FACTORS");
    return { ...(stored && isLive(stored, now) ? { session: toSession(stored) } : {}), state: toSecurityState(factors) };
  }

  async find(userId: string, tokenHash: string, now: Date): Promise<Session | undefined> {
    const stored = await this.table.get(keys.session(userId, tokenHash));
    return stored && isLive(stored, now) ? toSession(stored) : undefined;
  }

  async markSecondFactor(session: Session, at: Date, epoch: number): Promise<void> {
    await this.table.update(keys.session(session.userId, session.tokenHash), {
      set: { secondFactorAt: at.toISOString(), epoch },
      condition: "attribute_exists(pk) AND attribute_not_exists(revokedAt)",
    });
  }

  /** Marks rather than deletes, so that an event the session still owes is not lost with it. */
  async revoke(session: Session, at: Date): Promise<void> {
    await this.table.update(keys.session(session.userId, session.tokenHash), {
      set: { revokedAt: at.toISOString(), expiresAt: epochSeconds(at) },
      condition: "attribute_exists(pk)",
    });
  }
}

function isLive(item: Item, now: Date): boolean {
  return !item.revokedAt && (item.expiresAt as number) > epochSeconds(now);
}

function toSession(item: Item): Session {
  return {
    tokenHash: item.sk as string,
    userId: item.userId as string,
    createdAt: item.createdAt as string,
    expiresAt: item.expiresAtIso as string,
    epoch: (item.epoch as number | undefined) ?? 0,
    ...(item.secondFactorAt ? { secondFactorAt: item.secondFactorAt as string } : {}),
  };
}
