import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeldEvents, OUTBOX_INDEX, OutboxBacklog, OutboxRelay, OWED_ATTRIBUTE, Table, moveLegacyOutbox, type Key, type Refused } from "@twofactor/aws";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import { startLocalRuntime, type LocalRuntime } from "@twofactor/local";

/**
 * The outbox on the embedded dynalite and its stream: an owing write carries its events, the relay
 * publishes them from the stream, what EventBridge refuses waits in the backlog, and the sweep
 * drains the backlog (and what the outbox index held before) shard by shard, skipping and
 * reporting what it cannot settle.
 */
let system: LocalRuntime;
beforeAll(async () => {
  // No periodic sweep of the runtime's own: these tests sweep themselves.
  system = await startLocalRuntime({ sweep: { intervalMs: 3_600_000, graceMs: 0 }, bus: { attempts: 3, baseDelayMs: 20 } });
});
afterAll(async () => {
  await system?.stop();
});

const event = (userId = `usr_${randomUUID()}`): DomainEvent => parseEvent("LoginFailed", {
  eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: userId, userId, stage: "password", method: "password",
});
const testKey = (): Key => ({ pk: `OUTBOXTEST#${randomUUID()}`, sk: "ITEM" });

/** A publisher that records what it publishes and refuses what `refuse` says, entry by entry. */
function recording(refuse: (event: DomainEvent) => boolean = () => false) {
  const published: DomainEvent[] = [];
  const calls: number[] = [];
  const publisher = {
    publishEach: async (events: readonly DomainEvent[]): Promise<Refused[]> => {
      for (let i = 0; i < events.length; i += 10) calls.push(Math.min(10, events.length - i));
      published.push(...events.filter((e) => !refuse(e)));
      return events.filter(refuse).map((e) => ({ event: e, reason: "InternalFailure" }));
    },
  };
  return { published, calls, publisher };
}

const securityLog = async (userId: string) => (await system.runtime.deps.auditLog.listForUser(userId, { limit: 50 })).items.map((e) => e.eventId);

describe("an owing write", () => {
  it("carries its events on the item, and the relay publishes them from the table's stream", async () => {
    const owed = event();
    const key = testKey();
    expect(await system.runtime.outbox.write(key, { set: { kind: "test" } }, [owed])).toBeDefined();
    expect(JSON.parse((await system.runtime.table.get(key))![OWED_ATTRIBUTE] as string)).toEqual([owed]);
    await system.bus.idle();
    expect(await securityLog(owed.detail.userId!)).toEqual([owed.detail.eventId]);
  });

  it("is cleared by the next write that owes nothing, which the relay is not given", async () => {
    const key = testKey();
    const first = event();
    await system.runtime.outbox.write(key, { set: { kind: "test" } }, [first]);
    await system.bus.idle();
    const entries = system.bus.stats.putEventsEntries;
    await system.runtime.outbox.write(key, { set: { kind: "again" } }, []);
    await system.bus.idle();
    expect((await system.runtime.table.get(key))![OWED_ATTRIBUTE]).toBeUndefined();
    expect(system.bus.stats.putEventsEntries).toBe(entries);
  });

  it("that loses its condition owes nothing", async () => {
    const owed = event();
    expect(await system.runtime.outbox.write(testKey(), { set: { kind: "test" }, condition: "attribute_exists(pk)" }, [owed])).toBeUndefined();
    await system.bus.idle();
    expect(await securityLog(owed.detail.userId!)).toEqual([]);
  });
});

describe("the relay", () => {
  const image = (events: unknown[]) => ({ [OWED_ATTRIBUTE]: { S: JSON.stringify(events) } });

  it("publishes what a record's new image owes beyond its old one, and backlogs what is refused or unreadable", async () => {
    const [kept, fresh, refused] = [event(), event(), event()];
    const { published, publisher } = recording((e) => e.detail.eventId === refused.detail.eventId);
    const added: unknown[] = [];
    const relay = new OutboxRelay(publisher, { add: async (entries) => void added.push(...entries) });
    const report = await relay.relay([
      { dynamodb: { OldImage: image([kept]), NewImage: image([kept, fresh]) } },
      { dynamodb: { NewImage: image([refused, { detailType: "LoginFailed", detail: { eventId: "e-broken" } }]) } },
      { dynamodb: { NewImage: { other: { S: "x" } } } },
    ]);
    expect(published).toEqual([fresh]);
    expect(report).toEqual({ published: 1, backlogged: 2 });
    expect(added).toEqual([{ event: refused }, expect.objectContaining({ eventId: "e-broken" })]);
  });

  it("throws when the backlog cannot be written either, so that the stream hands the batch over again", async () => {
    const relay = new OutboxRelay(recording(() => true).publisher, { add: async () => { throw new Error("store down"); } });
    await expect(relay.relay([{ dynamodb: { NewImage: image([event()]) } }])).rejects.toThrow(/store down/);
  });
});

describe("the sweep", () => {
  /** A backlog of its own shards (a partition name no other test uses). */
  async function backlogWith(count: number, publisher: ReturnType<typeof recording>["publisher"]) {
    const table = system.runtime.table;
    const backlog = new OutboxBacklog(table, publisher, { shards: 3 });
    const events = Array.from({ length: count }, () => event());
    await backlog.add(events.map((e) => ({ event: e })));
    await backlog.add(events.slice(0, 5).map((e) => ({ event: e }))); // added twice: the same entries
    return { backlog, events };
  }

  it("drains every shard, 10 entries a call, and leaves nothing", async () => {
    await new OutboxBacklog(system.runtime.table, recording().publisher, { shards: 3 }).drain(); // what other tests left
    const { published, calls, publisher } = recording();
    const { backlog, events } = await backlogWith(45, publisher);
    expect(new Set(events.map((e) => backlog.shardOf(e.detail.eventId))).size).toBe(3);
    const report = await backlog.drain();
    expect(report).toEqual({ published: 45, skipped: [], failedShards: [] });
    expect(new Set(published.map((e) => e.detail.eventId))).toEqual(new Set(events.map((e) => e.detail.eventId)));
    expect(Math.max(...calls)).toBe(10);
    expect((await backlog.drain()).published).toBe(0);
  });

  it("keeps and reports what is refused or no longer parses, and publishes the rest", async () => {
    const poison = event();
    const { published, publisher } = recording((e) => e === poison || e.detail.eventId === poison.detail.eventId);
    const backlog = new OutboxBacklog(system.runtime.table, publisher, { shards: 2 });
    await backlog.add([{ event: poison }, { event: event() }, { eventId: "e-unreadable", raw: "{not json" }]);
    const report = await backlog.drain();
    expect(report.published).toBe(1);
    expect(published).toHaveLength(1);
    expect(report.skipped.map((s) => s.reason).sort()).toEqual([expect.stringMatching(/refused/), expect.stringMatching(/no longer parses/)].sort());
    const again = await new OutboxBacklog(system.runtime.table, recording((e) => e.detail.eventId === "none").publisher, { shards: 2 }).drain();
    expect(again.published).toBe(1); // the refused event, now accepted
    expect(again.skipped).toHaveLength(1);
  });

  it("reports a shard whose query fails and still drains the others", async () => {
    const { publisher } = recording();
    const backlog = new OutboxBacklog(system.runtime.table, publisher, { shards: 2 });
    const [failing] = backlog.allShards();
    class FlakyTable extends Table {
      override async query(input: Parameters<Table["query"]>[0]) {
        if (input.ExpressionAttributeValues?.[":pk"] === failing) throw new Error("ProvisionedThroughputExceededException");
        return super.query(input);
      }
    }
    const report = await new OutboxBacklog(new FlakyTable(system.runtime.table.client, system.runtime.table.name), publisher, { shards: 2 }).drain();
    expect(report.failedShards).toEqual([{ shard: failing, reason: "ProvisionedThroughputExceededException" }]);
    await backlog.drain();
  });
});

describe("an event held until it happens", () => {
  it("waits in the backlog until its time, is published once as last held, and a lower version changes nothing", async () => {
    const { table } = system.runtime;
    const held = new HeldEvents(table, 2);
    const userId = `usr_${randomUUID()}`;
    const at = new Date(Date.now() + 3600_000);
    const summary = (count: number) => parseEvent("NotificationsSuppressed", {
      eventId: `mail-suppressed-${userId}`, occurredAt: at.toISOString(), actor: "system", userId,
      count, windowStart: new Date(at.getTime() - 3600_000).toISOString(), windowEnd: at.toISOString(),
    });
    expect(await held.hold(summary(1), 1)).toBe(true);
    expect(await held.hold(summary(3), 3)).toBe(true);
    expect(await held.hold(summary(2), 2)).toBe(false); // a slower writer
    const { published, publisher } = recording();
    const backlog = new OutboxBacklog(table, publisher, { shards: 2 });
    await backlog.drain(new Date(at.getTime() - 1));
    expect(published.filter((e) => e.detail.userId === userId)).toEqual([]);
    await backlog.drain(new Date(at.getTime() + 1));
    await backlog.drain(new Date(at.getTime() + 1));
    expect(published.filter((e) => e.detail.userId === userId)).toEqual([summary(3)]);
  });
});

describe("data from before the table's stream", () => {
  it("an item owing events in the outbox index is moved into the backlog, leaves the index, and is published", async () => {
    const { table } = system.runtime;
    const key = testKey();
    const owed = event();
    // As the index outbox wrote it.
    await table.update(key, {
      set: { kind: "test", [`owed_${owed.detail.eventId}`]: JSON.stringify(owed), outboxShard: "pending#1" },
      setIfMissing: { outboxDue: Date.now() - 60_000 },
      add: { outboxSeq: 1 },
    });
    const { published, publisher } = recording();
    const backlog = new OutboxBacklog(table, publisher, { shards: 2 });
    const moved = await moveLegacyOutbox(table, backlog, 2, new Date());
    expect(moved).toMatchObject({ moved: 1, skipped: [], failedShards: [] });
    const item = (await table.get(key))!;
    expect(Object.keys(item).filter((name) => name.startsWith("owed_") || name === "outboxShard")).toEqual([]);
    expect((await table.queryAll({ IndexName: OUTBOX_INDEX, KeyConditionExpression: "outboxShard = :s", ExpressionAttributeValues: { ":s": "pending#1" } }))
      .filter((entry) => entry.pk === key.pk)).toEqual([]);
    await backlog.drain();
    expect(published.map((e) => e.detail.eventId)).toContain(owed.detail.eventId);
  });
});
