import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Outbox, Table, type Key } from "@twofactor/aws";
import type { EventPublisher } from "@twofactor/core";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import { startLocalRuntime, type LocalRuntime } from "@twofactor/local";

/**
 * The outbox on the embedded dynalite: owing items spread over the index's shards by key, and the
 * sweep reads every shard, skipping (and reporting) what it cannot settle instead of giving up.
 */
let system: LocalRuntime;
beforeAll(async () => {
  // No periodic sweep of the runtime's own: these tests sweep themselves.
  system = await startLocalRuntime({ sweep: { intervalMs: 3_600_000, graceMs: 0 } });
});
afterAll(async () => {
  await system?.stop();
});

const event = (userId = `usr_${randomUUID()}`): DomainEvent => parseEvent("LoginFailed", {
  eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: userId, userId, stage: "password", method: "password",
});

/** A bus that is down: every write's own publish fails, so its events stay owed for the sweep. */
const down: EventPublisher = { publish: async () => { throw new Error("bus down"); } };

function recording(refuse: (event: DomainEvent) => boolean = () => false) {
  const published: DomainEvent[] = [];
  const publisher: EventPublisher = {
    publish: async (events) => {
      if (events.some(refuse)) throw new Error("EventBridge refused 1 event(s): InternalFailure");
      published.push(...events);
    },
  };
  return { published, publisher };
}

const testKey = (): Key => ({ pk: `OUTBOXTEST#${randomUUID()}`, sk: "ITEM" });
const later = () => new Date(Date.now() + 1_000);

/** Owing writes, until every one of the shards holds at least `perShard` items. */
async function owingItemsOnEveryShard(outbox: Outbox, perShard: number): Promise<Map<string, Key[]>> {
  const byShard = new Map<string, Key[]>(outbox.allShards().map((shard) => [shard, []]));
  while ([...byShard.values()].some((keys) => keys.length < perShard)) {
    const key = testKey();
    const list = byShard.get(outbox.shardOf(key))!;
    if (list.length >= perShard) continue;
    await outbox.write(key, { set: { kind: "test" } }, [event()]);
    list.push(key);
  }
  return byShard;
}

describe("the outbox index", () => {
  it("puts an item in the shard its key hashes to, the same one every time, spread evenly", () => {
    const outbox = new Outbox(system.runtime.table, down, { shards: 8 });
    const key = testKey();
    expect(outbox.shardOf(key)).toBe(outbox.shardOf({ ...key }));
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const shard = outbox.shardOf(testKey());
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(outbox.allShards().sort());
    for (const count of counts.values()) expect(count).toBeGreaterThan(350); // 500 each on average
    expect(() => new Outbox(system.runtime.table, down, { shards: 0 })).toThrow(/positive integer/);
  });

  it("the sweep publishes what items owe on every shard, and each item leaves the index", async () => {
    const { table } = system.runtime;
    const writer = new Outbox(table, down, { shards: 4 });
    const byShard = await owingItemsOnEveryShard(writer, 2);
    for (const [shard, keys] of byShard) {
      for (const key of keys) expect((await table.get(key))?.outboxShard, shard).toBe(shard);
    }

    const { published, publisher } = recording();
    const report = await new Outbox(table, publisher, { shards: 4 }).sweep(later());
    const keys = [...byShard.values()].flat();
    expect(report).toEqual({ published: keys.length, skipped: [], failedShards: [] });
    expect(new Set(published.map((e) => e.detail.userId)).size).toBe(keys.length);
    for (const key of keys) {
      const item = await table.get(key);
      expect(item?.outboxShard).toBeUndefined();
      expect(Object.keys(item!).filter((name) => name.startsWith("owed_"))).toEqual([]);
    }
    expect((await new Outbox(table, publisher, { shards: 4 }).sweep(later())).published).toBe(0);
  });
});

describe("the sweep", () => {
  it("skips and reports an entry it cannot settle, and goes on with the others", async () => {
    const { table } = system.runtime;
    const writer = new Outbox(table, down, { shards: 2 });
    const good = await owingItemsOnEveryShard(writer, 2);

    // An item whose owed JSON no longer parses, beside an event that still does.
    const corrupt = testKey();
    await writer.write(corrupt, { set: { kind: "test" } }, [event(), event()]);
    const [broken] = Object.keys((await table.get(corrupt))!).filter((name) => name.startsWith("owed_"));
    await table.update(corrupt, { set: { [broken!]: "{not json" } });
    // An item whose publish fails, every time.
    const refused = testKey();
    const poison = event("usr_poison");
    await writer.write(refused, { set: { kind: "test" } }, [poison]);
    // An index entry whose item is gone (a stale entry, as a kill -9 of dynalite's process can leave).
    const gone = testKey();
    await writer.write(gone, { set: { kind: "test" } }, [event()]);
    class GoneTable extends Table {
      override async get(key: Key) {
        return key.pk === gone.pk ? undefined : super.get(key);
      }
    }

    const { published, publisher } = recording((e) => e.detail.eventId === poison.detail.eventId);
    const sweeper = { table: new GoneTable(table.client, table.name) };
    const report = await new Outbox(sweeper.table, publisher, { shards: 2 }).sweep(later());

    const goodKeys = [...good.values()].flat();
    expect(report.published).toBe(goodKeys.length + 1); // and the corrupt item's readable event
    expect(report.failedShards).toEqual([]);
    const reasons = new Map(report.skipped.map((s) => [s.key.pk, s.reason]));
    expect(reasons.size).toBe(3);
    expect(reasons.get(corrupt.pk)).toMatch(/no longer parse/);
    expect(reasons.get(refused.pk)).toMatch(/refused/);
    expect(reasons.get(gone.pk)).toMatch(/stale index entry/);
    for (const skipped of report.skipped) expect(skipped.due).toBeLessThan(Date.now());
    expect(published).toHaveLength(goodKeys.length + 1);

    // What was skipped stays owed and in the index: the next run reports it again (the alarm on
    // outbox age sees it), and a fixed publish settles it.
    const corruptItem = (await table.get(corrupt))!;
    expect(Object.keys(corruptItem).filter((name) => name.startsWith("owed_"))).toEqual([broken]);
    expect(corruptItem.outboxShard).toBeDefined();
    const again = await new Outbox(sweeper.table, recording().publisher, { shards: 2 }).sweep(later());
    expect(again.published).toBe(1); // the refused event, now accepted
    expect(again.skipped.map((s) => s.key.pk).sort()).toEqual([corrupt.pk, gone.pk].sort());
    expect(again.skipped.find((s) => s.key.pk === gone.pk)?.reason).toMatch(/stale index entry/);
  });

  it("reports a shard whose query fails and still sweeps the others", async () => {
    const { table } = system.runtime;
    const writer = new Outbox(table, down, { shards: 2 });
    const byShard = await owingItemsOnEveryShard(writer, 1);
    const [failing, working] = writer.allShards();
    class FlakyTable extends Table {
      override async query(input: Parameters<Table["query"]>[0]) {
        if (input.ExpressionAttributeValues?.[":shard"] === failing) throw new Error("ProvisionedThroughputExceededException");
        return super.query(input);
      }
    }
    const { published, publisher } = recording();
    const report = await new Outbox(new FlakyTable(table.client, table.name), publisher, { shards: 2 }).sweep(later());
    expect(report.failedShards).toEqual([{ shard: failing, reason: "ProvisionedThroughputExceededException" }]);
    const sweptKeys = new Set(byShard.get(working!)!.map((k) => k.pk));
    expect(report.published).toBeGreaterThanOrEqual(sweptKeys.size);
    expect(published.length).toBe(report.published);
    await new Outbox(table, recording().publisher, { shards: 2 }).sweep(later()); // leave nothing owed
  });
});

describe("data from before the sharding", () => {
  it("is still swept: an item owing events in the old single partition is published", async () => {
    const { table } = system.runtime;
    const key = testKey();
    const owed = event();
    // As the unsharded outbox wrote it.
    await table.update(key, {
      set: { kind: "test", [`owed_${owed.detail.eventId}`]: JSON.stringify(owed), outboxShard: "pending" },
      setIfMissing: { outboxDue: Date.now() - 60_000 },
      add: { outboxSeq: 1 },
    });
    const { published, publisher } = recording();
    await new Outbox(table, publisher, { shards: 4 }).sweep(later());
    expect(published.map((e) => e.detail.eventId)).toContain(owed.detail.eventId);
    expect((await table.get(key))?.outboxShard).toBeUndefined();
  });
});
