import { parseEvent, type DomainEvent } from "@twofactor/events";
import type { EventPublisher } from "@twofactor/core";
import type { Item, Key, Table, UpdateSpec } from "./table.js";

const OWED_PREFIX = "owed_";
const PENDING = "pending";

/**
 * The transactional outbox, one item at a time: a state change and the events it owes are one
 * conditional update (each event an attribute `owed_<eventId>`, and the item joins the sparse
 * `outbox` index). After the write the events are published and the attributes removed; if that
 * fails or the process dies, `sweep` publishes them later. Items that may owe events are therefore
 * only ever updated, never put over or deleted, so no pending event can be wiped.
 */
export class Outbox {
  constructor(
    private readonly table: Table,
    private readonly publisher: EventPublisher,
    private readonly onPublishError: (error: unknown) => void = () => {},
  ) {}

  /** Applies `spec` together with the events it owes; undefined when the condition failed. */
  async write(key: Key, spec: UpdateSpec, owed: readonly DomainEvent[], now = new Date()): Promise<Item | undefined> {
    if (owed.length === 0) return this.table.update(key, spec);
    const item = await this.table.update(key, {
      ...spec,
      set: { ...spec.set, ...Object.fromEntries(owed.map((e) => [OWED_PREFIX + e.detail.eventId, JSON.stringify(e)])), outboxShard: PENDING },
      setIfMissing: { ...spec.setIfMissing, outboxDue: now.getTime() },
      add: { ...spec.add, outboxSeq: 1 },
    });
    if (item) await this.deliver(key, owed, item.outboxSeq as number);
    return item;
  }

  /** Publishes what items older than `before` still owe (after a crash, or a failed publish). */
  async sweep(before: Date): Promise<number> {
    let published = 0;
    let startKey: Item | undefined;
    do {
      const page = await this.table.query({
        IndexName: "outbox",
        KeyConditionExpression: "outboxShard = :pending AND outboxDue < :before",
        ExpressionAttributeValues: { ":pending": PENDING, ":before": before.getTime() },
        ExclusiveStartKey: startKey,
      });
      for (const keys of page.items) {
        const key = { pk: keys.pk as string, sk: keys.sk as string };
        const item = await this.table.get(key);
        if (!item) continue;
        const owed = owedEvents(item);
        await this.deliver(key, owed, item.outboxSeq as number);
        published += owed.length;
      }
      startKey = page.lastKey;
    } while (startKey);
    return published;
  }

  private async deliver(key: Key, owed: readonly DomainEvent[], seq: number): Promise<void> {
    try {
      if (owed.length) await this.publisher.publish(owed);
      const settled = owed.map((e) => OWED_PREFIX + e.detail.eventId);
      // Leave the index only if no other write owed something meanwhile (its seq would differ).
      const left = await this.table.update(key, {
        remove: [...settled, "outboxShard", "outboxDue"],
        condition: "outboxSeq = :seq",
        values: { ":seq": seq },
      });
      if (!left && settled.length) await this.table.update(key, { remove: settled });
    } catch (error) {
      this.onPublishError(error);
    }
  }
}

function owedEvents(item: Item): DomainEvent[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith(OWED_PREFIX))
    .map(([, json]) => {
      const { detailType, detail } = JSON.parse(json as string) as DomainEvent;
      return parseEvent(detailType, detail);
    });
}
