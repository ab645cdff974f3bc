import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { EventBridgeEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { EventBridgePublisher } from "@twofactor/aws";
import { parseEvent } from "@twofactor/events";
import { LocalEventBus } from "@twofactor/local";

const subscriptions = [{ consumer: "audit-log", handler: "test.handler", detailTypes: ["LoginFailed"] as const }];
const event = parseEvent("LoginFailed", {
  eventId: "0f1e2d3c-0000-4000-8000-000000000002", occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_1",
  userId: "usr_1", stage: "password", method: "password",
});

function bus(dir: string, consumer: (e: EventBridgeEvent<string, unknown>) => Promise<unknown>) {
  return new LocalEventBus({
    subscriptions,
    loadConsumer: async () => consumer,
    deadLetterFile: join(dir, "dead-letters.jsonl"),
    spoolFile: join(dir, "bus-spool.jsonl"),
    retry: { attempts: 2, baseDelayMs: 5 },
    region: "us-east-1",
  });
}

const publisherFor = (endpoint: string) =>
  new EventBridgePublisher(new EventBridgeClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }), "bus");

describe("the local bus journal", () => {
  it("delivers after a restart an event it accepted but had not delivered when the process died", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bus-"));
    const crashed = bus(dir, () => new Promise(() => {})); // the consumer never finishes: the process dies first
    await crashed.start();
    await publisherFor(crashed.endpoint).publish([event]);

    const received: unknown[] = [];
    const restarted = bus(dir, async (envelope) => { received.push(envelope.detail); });
    await restarted.start();
    await restarted.idle();
    expect(received).toEqual([event.detail]);

    // Delivered once is done: a further restart replays nothing.
    const again: unknown[] = [];
    const third = bus(dir, async (envelope) => { again.push(envelope); });
    await third.start();
    await third.idle();
    expect(again).toEqual([]);
    await Promise.all([restarted.stop(), third.stop()]);
  });

  it("does not replay what it dead-lettered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bus-"));
    const failing = bus(dir, async () => { throw new Error("consumer down"); });
    await failing.start();
    await publisherFor(failing.endpoint).publish([event]);
    await failing.idle();
    await failing.stop();
    expect(readFileSync(join(dir, "dead-letters.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);

    const replayed: unknown[] = [];
    const restarted = bus(dir, async (envelope) => { replayed.push(envelope); });
    await restarted.start();
    await restarted.idle();
    expect(replayed).toEqual([]);
    await restarted.stop();
  });
});
