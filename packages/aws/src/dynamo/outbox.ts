import { createHash } from "node:crypto";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import type { EventPublisher } from "@twofactor/core";
import type { Item, Key, Table, UpdateSpec } from "./table.js";
import { OUTBOX_INDEX } from "./table-definition.js";

const OWED_PREFIX = "owed_";
const SHARD_PREFIX = "pending#";
/**
 * The one partition items owed events in before the index was sharded. Nothing writes it any
 * more; the sweep still reads it (one query), so data written before the change is not stranded.
 */
const UNSHARDED = "pending";

/** Default number of outbox index partitions (each takes ~1,000 writes/s; an owing write enters and leaves once). */
export const DEFAULT_OUTBOX_SHARDS = 8;

export interface OutboxOptions {
  /**
   * How many partitions of the `outbox` index owing items spread over; an item's shard is derived
   * from its key, so it always lands in the same one. Raise it freely; lower it only once the
   * sweep has emptied the shards being dropped (their entries are no longer read).
   */
  shards?: number;
  /** A publish right after a write failed: the events stay owed for the sweep. */
  onPublishError?: (error: unknown) => void;
}

/** An index entry the sweep could not settle: it stays owed (and in the index) for the next run. */
export interface SkippedEntry {
  key: Key;
  /** When its oldest owed event was written (epoch ms), if known. */
  due?: number;
  reason: string;
}

export interface SweepReport {
  /** Events published and settled. */
  published: number;
  /** Entries left owed, each with why; the sweep went on with the rest. */
  skipped: SkippedEntry[];
  /** Shards whose query failed: their entries were not looked at (the next run tries again). */
  failedShards: { shard: string; reason: string }[];
}

/**
 * The transactional outbox, one item at a time: a state change and the events it owes are one
 * conditional update (each event an attribute `owed_<eventId>`, and the item joins the sparse
 * `outbox` index in the shard its key hashes to). After the write the events are published and the
 * attributes removed; if that fails or the process dies, `sweep` publishes them later. Items that
 * may owe events are therefore only ever updated, never put over or deleted, so no pending event
 * can be wiped.
 */
export class Outbox {
  readonly shards: number;
  private readonly onPublishError: (error: unknown) => void;

  constructor(private readonly table: Table, private readonly publisher: EventPublisher, options: OutboxOptions = {}) {
    this.shards = options.shards ?? DEFAULT_OUTBOX_SHARDS;
    if (!Number.isInteger(this.shards) || this.shards < 1) throw new Error(`outbox shards must be a positive integer, not ${this.shards}`);
    this.onPublishError = options.onPublishError ?? (() => {});
  }

  /** The index partition of an item: a hash of its key, so every write of one item lands in the same shard. */
  shardOf(key: Key): string {
    const hash = createHash("sha256").update(`${key.pk}\u0000${key.sk}`).digest();
    return `${SHARD_PREFIX}${hash.readUInt32BE(0) % this.shards}`;
  }

  /** Every shard the sweep reads. */
  allShards(): string[] {
    return Array.from({ length: this.shards }, (_, n) => `${SHARD_PREFIX}${n}`);
  }

  /** Applies `spec` together with the events it owes; undefined when the condition failed. */
  async write(key: Key, spec: UpdateSpec, owed: readonly DomainEvent[], now = new Date()): Promise<Item | undefined> {
    if (owed.length === 0) return this.table.update(key, spec);
    const item = await this.table.update(key, {
      ...spec,
      set: { ...spec.set, ...Object.fromEntries(owed.map((e) => [OWED_PREFIX + e.detail.eventId, JSON.stringify(e)])), outboxShard: this.shardOf(key) },
      setIfMissing: { ...spec.setIfMissing, outboxDue: now.getTime() },
      add: { ...spec.add, outboxSeq: 1 },
    });
    if (item) {
      // Everything the item owes, not only this write's events: a concurrent write's events may be
      // on it too, and the item leaves the index only when nothing is left (at least once, never zero).
      try {
        const { unsettled } = await this.settle(key, item);
        if (unsettled) this.onPublishError(new Error(unsettled));
      } catch (error) {
        this.onPublishError(error);
      }
    }
    return item;
  }

  /**
   * Publishes what items older than `before` still owe (after a crash, or a failed publish), shard
   * by shard. An entry it cannot settle (its publish fails, an owed event no longer parses, the
   * index points at an item that owes nothing) is skipped and reported; the others go on.
   */
  async sweep(before: Date): Promise<SweepReport> {
    const report: SweepReport = { published: 0, skipped: [], failedShards: [] };
    for (const shard of [...this.allShards(), UNSHARDED]) {
      let startKey: Item | undefined;
      do {
        let page: { items: Item[]; lastKey?: Item };
        try {
          page = await this.table.query({
            IndexName: OUTBOX_INDEX,
            KeyConditionExpression: "outboxShard = :shard AND outboxDue < :before",
            ExpressionAttributeValues: { ":shard": shard, ":before": before.getTime() },
            ExclusiveStartKey: startKey,
          });
        } catch (error) {
          report.failedShards.push({ shard, reason: describe(error) });
          break;
        }
        for (const entry of page.items) {
          const key = { pk: entry.pk as string, sk: entry.sk as string };
          const due = typeof entry.outboxDue === "number" ? entry.outboxDue : undefined;
          try {
            const item = await this.table.get(key);
            if (!item) throw new Error("stale index entry: the item is gone");
            const { published, unsettled } = await this.settle(key, item);
            report.published += published;
            if (unsettled) report.skipped.push({ key, due, reason: unsettled });
          } catch (error) {
            report.skipped.push({ key, due, reason: describe(error) });
          }
        }
        startKey = page.lastKey;
      } while (startKey);
    }
    return report;
  }

  /**
   * Publishes and settles what one item owes. Throws when nothing could be settled; answers why
   * when only part of it could (an owed event that no longer parses stays owed).
   */
  private async settle(key: Key, item: Item): Promise<{ published: number; unsettled?: string }> {
    const owed: DomainEvent[] = [];
    const unreadable: string[] = [];
    for (const [name, json] of Object.entries(item)) {
      if (!name.startsWith(OWED_PREFIX)) continue;
      try {
        const { detailType, detail } = JSON.parse(json as string) as DomainEvent;
        owed.push(parseEvent(detailType, detail));
      } catch {
        unreadable.push(name);
      }
    }
    if (owed.length === 0 && unreadable.length === 0 && item.outboxShard === undefined) {
      throw new Error("stale index entry: the item owes nothing and is not in the outbox");
    }
    await this.deliver(key, owed, unreadable, item.outboxSeq as number | undefined);
    if (!unreadable.length) return { published: owed.length };
    return { published: owed.length, unsettled: `owed event(s) ${unreadable.join(", ")} no longer parse; the others were published` };
  }

  /**
   * Publishes `owed` and removes what was published. The item leaves the index only if nothing is
   * left owed: no unreadable event stays behind, and no other write owed something meanwhile
   * (its seq would differ).
   */
  private async deliver(key: Key, owed: readonly DomainEvent[], unreadable: readonly string[], seq: number | undefined): Promise<void> {
    if (owed.length) await this.publisher.publish(owed);
    const settled = owed.map((e) => OWED_PREFIX + e.detail.eventId);
    if (unreadable.length === 0) {
      const left = await this.table.update(key, {
        remove: [...settled, "outboxShard", "outboxDue"],
        ...(seq === undefined
          ? { condition: "attribute_not_exists(outboxSeq)" }
          : { condition: "outboxSeq = :seq", values: { ":seq": seq } }),
      });
      if (left) return;
    }
    if (settled.length) await this.table.update(key, { remove: settled });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
}
