import type { DomainEvent } from "@twofactor/events";
import type { AttemptState, Attempts, Budget, LockScope } from "@twofactor/core";
import { budgetKey, budgetOpen } from "./budget-condition.js";
import type { Outbox } from "./outbox.js";
import type { Item, Table } from "./table.js";

/**
 * Failure counters. A failure is counted by one conditional ADD that refuses once the budget is
 * locked or spent, so a burst cannot count more than the budget allows; the lock is set by the one
 * write that finds the count spent (and restarts it). A counted failure owes its LoginFailed in the
 * same write: at most `maxFailures` events per lock period, each bounded (user agents are cut to 512).
 */
export class AttemptsStore implements Attempts {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async countFailure(userId: string, budget: Budget, now: Date, owed: readonly DomainEvent[]): Promise<number | undefined> {
    const open = budgetOpen(budget, now);
    const item = await this.outbox.write(budgetKey(userId, budget.scope), {
      add: { failures: 1 },
      set: { lastFailureAt: now.getTime() },
      condition: open.condition,
      values: open.values,
    }, owed);
    return item ? (item.failures as number) : undefined;
  }

  async lock(userId: string, budget: Budget, until: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(budgetKey(userId, budget.scope), {
      set: { lockedUntil: until.getTime(), failures: 0 },
      condition: "failures >= :max",
      values: { ":max": budget.maxFailures },
    }, owed);
    return item !== undefined;
  }

  async read(userId: string, scope: LockScope): Promise<AttemptState> {
    return toAttemptState(await this.table.get(budgetKey(userId, scope)));
  }

  /** Leaves a spent count alone: its lock is about to be written, and erasing it would skip the lock. */
  async reset(userId: string, budget: Budget): Promise<void> {
    await this.table.update(budgetKey(userId, budget.scope), {
      set: { failures: 0 },
      condition: "attribute_exists(pk) AND failures < :max",
      values: { ":max": budget.maxFailures },
    });
  }
}

export function toAttemptState(item: Item | undefined): AttemptState {
  const iso = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : undefined);
  return {
    failures: (item?.failures as number | undefined) ?? 0,
    ...(iso(item?.lockedUntil) ? { lockedUntil: iso(item?.lockedUntil) } : {}),
    ...(iso(item?.lastFailureAt) ? { lastFailureAt: iso(item?.lastFailureAt) } : {}),
  };
}
