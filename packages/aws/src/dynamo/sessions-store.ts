import type { DomainEvent } from "@twofactor/events";
import type { Session, Sessions } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { epochSeconds, type Item, type Table } from "./table.js";

/** Keyed by the user and the token's SHA-256 (the token itself is never stored), so a user's sessions can be listed and ended. */
export class SessionsStore implements Sessions {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async create(session: Session, owed: readonly DomainEvent[]): Promise<void> {
    const { tokenHash, expiresAt, userId, ...rest } = session;
    await this.outbox.write(keys.session(userId, tokenHash), {
      set: { ...rest, userId, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) },
      condition: "attribute_not_exists(pk)",
    }, owed);
  }

  async find(userId: string, tokenHash: string, now: Date): Promise<Session | undefined> {
    const item = await this.table.get(keys.session(userId, tokenHash));
    return item && isLive(item, now) ? toSession(item) : undefined;
  }

  async listLive(userId: string, now: Date): Promise<Session[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.sessionPartition(userId) },
      ConsistentRead: true,
    });
    return items.filter((item) => isLive(item, now)).map(toSession);
  }

  async markSecondFactor(session: Session, at: Date): Promise<void> {
    await this.table.update(keys.session(session.userId, session.tokenHash), {
      set: { secondFactorAt: at.toISOString(), scope: "full" },
      condition: "attribute_exists(pk) AND attribute_not_exists(revokedAt)",
    });
  }

  async rescope(session: Session, scope: Session["scope"]): Promise<void> {
    await this.table.update(keys.session(session.userId, session.tokenHash), {
      set: { scope },
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
    scope: item.scope as Session["scope"],
    createdAt: item.createdAt as string,
    expiresAt: item.expiresAtIso as string,
    ...(item.secondFactorAt ? { secondFactorAt: item.secondFactorAt as string } : {}),
  };
}
