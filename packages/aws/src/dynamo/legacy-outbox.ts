import type { DomainEvent } from "@twofactor/events";
import type { OutboxBacklog, SweepReport, Unpublished } from "./outbox-backlog.js";
import { describe } from "./outbox-backlog.js";
import type { Item, Key, Table } from "./table.js";
import { OUTBOX_INDEX } from "./table-definition.js";

const OWED_PREFIX = "owed_";

/**
 * Before the table's stream carried what writes owe, an owing write put each event in an attribute
 * `owed_<eventId>` and entered the sparse `outbox` index (`pending#<n>`, or `pending` before that
 * was sharded) until its request published and removed them. What a crash or an outage left there
 * when a stage took the change is moved, item by item, into the backlog, which the sweep then
 * publishes; the item leaves the index only if nothing else was owed meanwhile (`outboxSeq`). Once
 * every stage's index is empty this and the index can go.
 */
export async function moveLegacyOutbox(table: Table, backlog: Pick<OutboxBacklog, "add">, shards: number, before: Date): Promise<Omit<SweepReport, "published"> & { moved: number }> {
  const report = { moved: 0, skipped: [] as SweepReport["skipped"], failedShards: [] as SweepReport["failedShards"] };
  const partitions = [...Array.from({ length: shards }, (_, n) => `pending#${n}`), "pending"];
  await Promise.all(partitions.map(async (shard) => {
    let entries: Item[];
    try {
      entries = await table.queryAll({
        IndexName: OUTBOX_INDEX,
        KeyConditionExpression: "outboxShard = :shard AND outboxDue < :before",
        ExpressionAttributeValues: { ":shard": shard, ":before": before.getTime() },
      });
    } catch (error) {
      report.failedShards.push({ shard, reason: describe(error) });
      return;
    }
    for (const entry of entries) {
      const key = { pk: entry.pk as string, sk: entry.sk as string };
      try {
        report.moved += await moveItem(table, backlog, key);
      } catch (error) {
        report.skipped.push({ key, due: entry.outboxDue as number | undefined, reason: describe(error) });
      }
    }
  }));
  return report;
}

async function moveItem(table: Table, backlog: Pick<OutboxBacklog, "add">, key: Key): Promise<number> {
  const item = await table.get(key);
  if (!item) throw new Error("stale index entry: the item is gone");
  const names = Object.keys(item).filter((name) => name.startsWith(OWED_PREFIX));
  const owed: Unpublished[] = names.map((name) => {
    const raw = String(item[name]);
    try {
      const event = JSON.parse(raw) as DomainEvent;
      if (typeof event?.detail?.eventId === "string") return { event };
    } catch {
      // kept raw below: the sweep reports it each run
    }
    return { eventId: name.slice(OWED_PREFIX.length), raw };
  });
  if (owed.length) await backlog.add(owed);
  const seq = item.outboxSeq as number | undefined;
  const left = await table.update(key, {
    remove: [...names, "outboxShard", "outboxDue"],
    ...(seq === undefined ? { condition: "attribute_not_exists(outboxSeq)" } : { condition: "outboxSeq = :seq", values: { ":seq": seq } }),
  });
  if (!left && names.length) await table.update(key, { remove: names });
  return owed.length;
}
