import type { DomainEvent } from "@twofactor/events";
import type { Session, Sessions } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { epochSeconds, type Table } from "./table.js";

/** Keyed by the token's SHA-256; the token itself is never stored. */
export class SessionsStore implements Sessions {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async create(session: Session, owed: readonly DomainEvent[]): Promise<void> {
    const { tokenHash, expiresAt, ...rest } = session;
    await this.outbox.write(keys.session(tokenHash), {
      set: { ...rest, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) },
      condition: "attribute_not_exists(pk)",
    }, owed);
  }

  async find(tokenHash: string, now: Date): Promise<Session | undefined> {
    const item = await this.table.get(keys.session(tokenHash));
    if (!item || item.revokedAt || (item.expiresAt as number) <= epochSeconds(now)) return undefined;
    return {
      tokenHash,
      userId: item.userId as string,
      scope: item.scope as Session["scope"],
      createdAt: item.createdAt as string,
      expiresAt: item.expiresAtIso as string,
    };
  }

  /** Marks rather than deletes, so that an event the session still owes is not lost with it. */
  async revoke(tokenHash: string, at: Date): Promise<void> {
    await this.table.update(keys.session(tokenHash), {
      set: { revokedAt: at.toISOString(), expiresAt: epochSeconds(at) },
      condition: "attribute_exists(pk)",
    });
  }
}
