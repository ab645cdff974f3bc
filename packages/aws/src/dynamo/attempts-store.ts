import type { DomainEvent } from "@twofactor/events";
import type { Attempts, LockScope } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import type { Table } from "./table.js";

/** Failure counters: atomic ADD, and a lock that only the write reaching the threshold sets. */
export class AttemptsStore implements Attempts {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async fail(userId: string, scope: LockScope, owed: readonly DomainEvent[]): Promise<number> {
    const item = await this.outbox.write(keys.attempts(userId, scope), { add: { failures: 1 } }, owed);
    return (item?.failures as number | undefined) ?? 1;
  }

  async lock(userId: string, scope: LockScope, threshold: number, until: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(
      keys.attempts(userId, scope),
      { set: { lockedUntil: until.toISOString(), failures: 0 }, condition: "failures >= :threshold", values: { ":threshold": threshold } },
      owed,
    );
    return item !== undefined;
  }

  async reset(userId: string, scope: LockScope): Promise<void> {
    await this.table.update(keys.attempts(userId, scope), { set: { failures: 0 } });
  }
}
