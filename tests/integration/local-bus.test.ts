import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { EventBridgePublisher } from "@twofactor/aws";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import { LocalEventBus, newLocalCredentials } from "@twofactor/local";
import { useTempDirs } from "../support/temp-dir.js";

const subscriptions = [{ consumer: "audit-log", handler: "test.handler", detailTypes: ["LoginFailed"] as const }];
const loginFailed = (n: number): DomainEvent => parseEvent("LoginFailed", {
  eventId: `0f1e2d3c-0000-4000-8000-00000000000${n}`, occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_1",
  userId: "usr_1", stage: "password", method: "password",
});
const event = loginFailed(2);

type Envelope = EventBridgeEvent<string, unknown>;
const idOf = (envelope: Envelope) => (envelope.detail as { eventId: string }).eventId;

/** A consumer as consume() builds it: each record on its own, failures reported by message id. */
function perRecord(handle: (envelope: Envelope, receiveCount: number) => Promise<unknown>, batches: string[][] = []) {
  return async (sqs: SQSEvent): Promise<SQSBatchResponse> => {
    batches.push(sqs.Records.map((record) => idOf(JSON.parse(record.body) as Envelope)));
    const outcomes = await Promise.allSettled(sqs.Records.map((record) =>
      handle(JSON.parse(record.body) as Envelope, Number(record.attributes.ApproximateReceiveCount))));
    return { batchItemFailures: sqs.Records.filter((_, i) => outcomes[i]!.status === "rejected").map((r) => ({ itemIdentifier: r.messageId })) };
  };
}

const credentials = newLocalCredentials();
function bus(dir: string, consumer: (event: SQSEvent) => Promise<unknown>, attempts = 2) {
  return new LocalEventBus({
    subscriptions,
    credentials,
    loadConsumer: async () => consumer,
    deadLetterFile: join(dir, "dead-letters.jsonl"),
    spoolFile: join(dir, "bus-spool.jsonl"),
    retry: { attempts, baseDelayMs: 5 },
    region: "us-east-1",
  });
}

const publisherFor = (endpoint: string) =>
  new EventBridgePublisher(new EventBridgeClient({ endpoint, region: "us-east-1", credentials }), "bus");
const deadLetters = (dir: string): { consumer: string; attempts: number; error: string; event: Envelope }[] => {
  try {
    return readFileSync(join(dir, "dead-letters.jsonl"), "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  } catch {
    return [];
  }
};
const newDir = useTempDirs("bus");

describe("the local bus journal", () => {
  it("delivers after a restart an event it accepted but had not delivered when the process died", async () => {
    const dir = newDir();
    const crashed = bus(dir, () => new Promise(() => {})); // the consumer never finishes: the process dies first
    await crashed.start();
    await publisherFor(crashed.endpoint).publish([event]);

    const received: unknown[] = [];
    const restarted = bus(dir, perRecord(async (envelope) => { received.push(envelope.detail); }));
    await restarted.start();
    await restarted.idle();
    expect(received).toEqual([event.detail]);

    // Delivered once is done: a further restart replays nothing.
    const again: unknown[] = [];
    const third = bus(dir, perRecord(async (envelope) => { again.push(envelope); }));
    await third.start();
    await third.idle();
    expect(again).toEqual([]);
    await Promise.all([restarted.stop(), third.stop()]);
  });

  it("does not replay what it dead-lettered", async () => {
    const dir = newDir();
    const failing = bus(dir, async () => { throw new Error("consumer down"); });
    await failing.start();
    await publisherFor(failing.endpoint).publish([event]);
    await failing.idle();
    await failing.stop();
    expect(deadLetters(dir)).toHaveLength(1);

    const replayed: unknown[] = [];
    const restarted = bus(dir, perRecord(async (envelope) => { replayed.push(envelope); }));
    await restarted.start();
    await restarted.idle();
    expect(replayed).toEqual([]);
    await restarted.stop();
  });
});

describe("the local bus's queues (as SQS behind each consumer)", () => {
  it("hands the consumer SQS records whose body is the EventBridge event", async () => {
    const dir = newDir();
    const seen: SQSEvent[] = [];
    const local = bus(dir, async (sqs) => { seen.push(sqs); });
    await local.start();
    await publisherFor(local.endpoint).publish([event]);
    await local.idle();
    const [record] = seen[0]!.Records;
    expect(record).toMatchObject({ eventSource: "aws:sqs", attributes: { ApproximateReceiveCount: "1" } });
    expect(JSON.parse(record!.body)).toMatchObject({ source: "twofactor", "detail-type": "LoginFailed", detail: event.detail });
    await local.stop();
  });

  it("keeps an event whose consumer fails twice, and delivers it on the third receive", async () => {
    const dir = newDir();
    const receives: number[] = [];
    const consumed: unknown[] = [];
    const local = bus(dir, perRecord(async (envelope, receiveCount) => {
      receives.push(receiveCount);
      if (receiveCount <= 2) throw new Error("store unavailable");
      consumed.push(envelope.detail);
    }), 5);
    await local.start();
    await publisherFor(local.endpoint).publish([event]);
    await local.idle();
    expect(receives).toEqual([1, 2, 3]);
    expect(consumed).toEqual([event.detail]);
    expect(deadLetters(dir)).toEqual([]);
    await local.stop();
  });

  it("dead-letters an event whose consumer always fails, after maxReceiveCount receives", async () => {
    const dir = newDir();
    let receives = 0;
    const local = bus(dir, perRecord(async () => { receives++; throw new Error("bug"); }), 3);
    await local.start();
    await publisherFor(local.endpoint).publish([event]);
    await local.idle();
    expect(receives).toBe(3);
    const [letter, ...rest] = deadLetters(dir);
    expect(rest).toEqual([]);
    expect(letter).toMatchObject({ consumer: "audit-log", attempts: 3, event: { "detail-type": "LoginFailed", detail: event.detail } });
    await local.stop();
  });

  it("does not let a poison event hold back the others of its batch", async () => {
    const dir = newDir();
    const poison = loginFailed(9);
    const others = [loginFailed(3), loginFailed(4), loginFailed(5)];
    const batches: string[][] = [];
    const consumed: string[] = [];
    const local = bus(dir, perRecord(async (envelope) => {
      if (idOf(envelope) === poison.detail.eventId) throw new Error("detail does not fit");
      consumed.push(idOf(envelope));
    }, batches), 3);
    await local.start();
    await publisherFor(local.endpoint).publish([others[0]!, poison, others[1]!, others[2]!]); // one PutEvents: one batch
    await local.idle();
    expect(batches[0]!.sort()).toEqual([...others, poison].map((e) => e.detail.eventId).sort());
    expect(batches.slice(1)).toEqual([[poison.detail.eventId], [poison.detail.eventId]]); // only the poison comes back
    expect(consumed.sort()).toEqual(others.map((e) => e.detail.eventId).sort()); // each once
    expect(deadLetters(dir).map((letter) => idOf(letter.event))).toEqual([poison.detail.eventId]);
    await local.stop();
  });

  it("receives a whole batch again when the invocation throws", async () => {
    const dir = newDir();
    let calls = 0;
    const consumed: string[] = [];
    const local = bus(dir, async (sqs) => {
      if (++calls === 1) throw new Error("init failed");
      for (const record of sqs.Records) consumed.push(idOf(JSON.parse(record.body) as Envelope));
    }, 3);
    await local.start();
    await publisherFor(local.endpoint).publish([loginFailed(6), loginFailed(7)]);
    await local.idle();
    expect(consumed.sort()).toEqual([loginFailed(6), loginFailed(7)].map((e) => e.detail.eventId).sort());
    expect(deadLetters(dir)).toEqual([]);
    await local.stop();
  });

  it("holds deliveries while paused (events still accepted) and hands them over when resumed", async () => {
    const dir = newDir();
    const received: string[] = [];
    const local = bus(dir, perRecord(async (envelope) => { received.push(idOf(envelope)); }));
    await local.start();
    local.pauseDeliveries();
    await publisherFor(local.endpoint).publish([loginFailed(8), loginFailed(9)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);

    local.resumeDeliveries();
    await local.idle();
    expect(received.sort()).toEqual([loginFailed(8), loginFailed(9)].map((e) => e.detail.eventId).sort());
    await local.stop();
  });

  it("stops within its grace when a consumer is stuck, and delivers the event at the next start", async () => {
    const dir = newDir();
    const stuck = bus(dir, () => new Promise(() => {}));
    await stuck.start();
    await publisherFor(stuck.endpoint).publish([loginFailed(5)]);
    await stuck.stop(50);

    const received: string[] = [];
    const restarted = bus(dir, perRecord(async (envelope) => { received.push(idOf(envelope)); }));
    await restarted.start();
    await restarted.idle();
    expect(received).toEqual([loginFailed(5).detail.eventId]);
    await restarted.stop();
  });
});
