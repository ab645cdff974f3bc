import type { DueReset, ResetTimers } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Table } from "./table.js";

/**
 * Resets waiting for their time, in one partition sorted by when they come due (resets are rare:
 * one partition takes them all), so the sweep reads the due ones with one query.
 */
export class ResetTimersStore implements ResetTimers {
  constructor(private readonly table: Table) {}

  async schedule(due: DueReset): Promise<void> {
    await this.table.put({ ...keys.resetTimer(due.effectiveAt, due.userId, due.resetId), ...due });
  }

  async due(now: Date, limit: number): Promise<DueReset[]> {
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk AND sk <= :now",
      // "~" sorts after every "#<userId>#<resetId>" of the same instant.
      ExpressionAttributeValues: { ":pk": keys.resetTimerPartition, ":now": `${now.toISOString()}~` },
      ConsistentRead: true,
      Limit: limit,
    });
    return items.map((item) => ({ userId: item.userId as string, resetId: item.resetId as string, effectiveAt: item.effectiveAt as string }));
  }

  async done(due: DueReset): Promise<void> {
    await this.table.delete(keys.resetTimer(due.effectiveAt, due.userId, due.resetId));
  }
}
