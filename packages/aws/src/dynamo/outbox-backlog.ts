import { createHash } from "node:crypto";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import type { EventBridgePublisher } from "../eventbridge-publisher.js";
import type { Item, Key, Table } from "./table.js";

const PARTITION_PREFIX = "OUTBOX#";
/** Entries a shard's query reads at once: a drain publishes them, 10 a call, and deletes them, 25 a call. */
const PAGE = 500;

/** Default number of backlog partitions (the sweep drains them at once; each takes ~1,000 writes/s). */
export const DEFAULT_OUTBOX_SHARDS = 8;

/** An entry the sweep could not settle: it stays in the backlog for the next run. */
export interface SkippedEntry {
  key: Key;
  /** When the event happened (epoch ms), if known. */
  due?: number;
  reason: string;
}

export interface SweepReport {
  /** Events published and removed from the backlog. */
  published: number;
  /** Entries left, each with why; the sweep went on with the rest. */
  skipped: SkippedEntry[];
  /** Shards whose query failed: their entries were not looked at (the next run tries again). */
  failedShards: { shard: string; reason: string }[];
}

/** What the relay could not publish: an event, or what is left of one that no longer parses. */
export type Unpublished = { event: DomainEvent } | { eventId: string; occurredAt?: string; raw: string };

/**
 * The events the relay could not publish (EventBridge refused them after its retries, or they no
 * longer parse), each on an item of its own in one of a few partitions (`OUTBOX#<n>`, the shard
 * its event id hashes to), keyed by when it happened and its id: adding one twice writes the same
 * item, so the relay's unconditional batch puts are idempotent. The sweep drains every shard at
 * once: a page of entries, published 10 a call, the published ones deleted 25 a call, while the
 * next page is read; what is refused again stays for the next run.
 */
export class OutboxBacklog {
  readonly shards: number;

  constructor(private readonly table: Table, private readonly publisher: Pick<EventBridgePublisher, "publishEach">, options: { shards?: number } = {}) {
    this.shards = options.shards ?? DEFAULT_OUTBOX_SHARDS;
    if (!Number.isInteger(this.shards) || this.shards < 1) throw new Error(`outbox shards must be a positive integer, not ${this.shards}`);
  }

  /** Every partition the sweep reads. */
  allShards(): string[] {
    return Array.from({ length: this.shards }, (_, n) => `${PARTITION_PREFIX}${n}`);
  }

  shardOf(eventId: string): string {
    return shardFor(eventId, this.shards);
  }

  /** Stores what could not be published; throws when the store refuses (the caller's batch is then retried whole). */
  async add(entries: readonly Unpublished[]): Promise<void> {
    const puts = entries.map((entry) => {
      const { eventId, occurredAt, json } = "event" in entry
        ? { eventId: entry.event.detail.eventId, occurredAt: entry.event.detail.occurredAt, json: JSON.stringify(entry.event) }
        : { eventId: entry.eventId, occurredAt: entry.occurredAt, json: entry.raw };
      const at = occurredAt ?? new Date(0).toISOString();
      return { put: { pk: this.shardOf(eventId), sk: `${at}#${eventId}`, event: json, due: Date.parse(at) || 0 } };
    });
    const left = await this.table.batchWrite(puts);
    if (left.length) throw new Error(`the store left ${left.length} of ${puts.length} backlog entries unwritten`);
  }

  /**
   * Publishes every shard's entries, all shards at once, page after page; an event held until a
   * time after `now` (HeldEvents) waits for a later drain.
   */
  async drain(now: Date = new Date()): Promise<SweepReport> {
    const report: SweepReport = { published: 0, skipped: [], failedShards: [] };
    await Promise.all(this.allShards().map((shard) => this.drainShard(shard, now.getTime(), report)));
    return report;
  }

  /**
   * A shard's pages one after another; while a page is published and deleted, the next one is read
   * (its start is known from the query's answer), and no further: one page ahead at most.
   */
  private async drainShard(shard: string, now: number, report: SweepReport): Promise<void> {
    let startKey: Item | undefined;
    let settling: Promise<void> = Promise.resolve();
    do {
      let page: { items: Item[]; lastKey?: Item };
      try {
        page = await this.table.query({
          KeyConditionExpression: "pk = :pk", FilterExpression: "attribute_not_exists(heldUntil) OR heldUntil <= :now",
          ExpressionAttributeValues: { ":pk": shard, ":now": now }, ConsistentRead: true, Limit: PAGE, ExclusiveStartKey: startKey,
        });
      } catch (error) {
        report.failedShards.push({ shard, reason: describe(error) });
        break;
      }
      await settling;
      settling = this.settle(page.items, report).catch((error: unknown) => {
        report.failedShards.push({ shard, reason: describe(error) });
      });
      startKey = page.lastKey;
    } while (startKey);
    await settling;
  }

  /** Publishes a page's entries, then deletes the published ones; what is left is reported skipped. */
  private async settle(items: readonly Item[], report: SweepReport): Promise<void> {
    const events: { key: Key; event: DomainEvent }[] = [];
    for (const item of items) {
      const key = { pk: item.pk as string, sk: item.sk as string };
      try {
        const { detailType, detail } = JSON.parse(item.event as string) as DomainEvent;
        events.push({ key, event: parseEvent(detailType, detail) });
      } catch (error) {
        report.skipped.push({ key, due: item.due as number, reason: `the event no longer parses: ${describe(error)}` });
      }
    }
    const refused = new Map((await this.publisher.publishEach(events.map((e) => e.event))).map((r) => [r.event.detail.eventId, r.reason]));
    const published = events.filter((e) => !refused.has(e.event.detail.eventId));
    for (const { key, event } of events) {
      const reason = refused.get(event.detail.eventId);
      if (reason !== undefined) report.skipped.push({ key, due: Date.parse(event.detail.occurredAt), reason: `EventBridge refused it: ${reason}` });
    }
    // Published but left undeleted (the store refused): published again next time, which consumers take once.
    const undeleted = await this.table.batchWrite(published.map(({ key }) => ({ delete: key }))).catch(() => published.map(({ key }) => ({ delete: key })));
    report.published += published.length;
    for (const request of undeleted) if ("delete" in request) report.skipped.push({ key: request.delete, reason: "published, not yet removed from the backlog" });
  }
}

/**
 * Events owed to the bus no earlier than they happen: a writer that publishes nothing itself holds
 * an event dated ahead (an hour's summary, dated at the hour's end) as a backlog entry marked
 * `heldUntil`, which the sweep publishes once that time has passed (the relay's entries carry no
 * mark, and go at the next sweep as before). Holding it again with a higher `version` rewrites it,
 * so an event whose fields grow until it is due is published once, as last written; a lower
 * version (a slower writer) changes nothing. No EventBridge client: only the sweep publishes.
 */
export class HeldEvents {
  constructor(private readonly table: Table, private readonly shards = DEFAULT_OUTBOX_SHARDS) {}

  /** Holds `event` until its `occurredAt`; false when a higher version is held already. */
  hold(event: DomainEvent, version: number): Promise<boolean> {
    const { eventId, occurredAt } = event.detail;
    return this.table.put(
      {
        pk: shardFor(eventId, this.shards), sk: `${occurredAt}#${eventId}`, event: JSON.stringify(event),
        due: Date.parse(occurredAt), heldUntil: Date.parse(occurredAt), heldVersion: version,
      },
      "attribute_not_exists(pk) OR heldVersion < :version",
      { ":version": version },
    );
  }
}

function shardFor(eventId: string, shards: number): string {
  return `${PARTITION_PREFIX}${createHash("sha256").update(eventId).digest().readUInt32BE(0) % shards}`;
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
}
