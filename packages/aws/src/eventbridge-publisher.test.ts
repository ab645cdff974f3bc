import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import { EventBridgePublisher } from "./eventbridge-publisher.js";

// Real EventBridge cannot run here; its client is mocked at the SDK boundary (the local bus covers the rest).
const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => eventBridge.reset());
afterAll(() => eventBridge.restore()); // the next file in this worker sends through the real client

const events = (count: number): DomainEvent[] =>
  Array.from({ length: count }, (_, i) => parseEvent("LoginFailed", {
    eventId: `e-${i}`, occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_1", userId: "usr_1", stage: "password", method: "password",
  }));

const publisher = () => new EventBridgePublisher(new EventBridgeClient({ region: "us-east-1" }), "bus", { attempts: 3, baseDelayMs: 1 });

describe("EventBridgePublisher", () => {
  it("sends at most 10 entries per PutEvents call, with source, detail type and bus", async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: "x" })) }));
    await publisher().publish(events(23));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.args[0].input.Entries![0]).toMatchObject({ Source: "twofactor", DetailType: "LoginFailed", EventBusName: "bus" });
    expect(JSON.parse(calls[0]!.args[0].input.Entries![0]!.Detail!)).toMatchObject({ eventId: "e-0", userId: "usr_1" });
  });

  it("sends only the failed entries again", async () => {
    eventBridge.on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: "a" }, { ErrorCode: "InternalFailure" }, { EventId: "c" }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "b" }] });
    await publisher().publish(events(3));
    const retry = eventBridge.commandCalls(PutEventsCommand)[1]!.args[0].input.Entries!;
    expect(retry).toHaveLength(1);
    expect(JSON.parse(retry[0]!.Detail!).eventId).toBe("e-1");
  });

  it("throws when entries still fail after the last attempt, so the outbox keeps them", async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "ThrottlingException" }] });
    await expect(publisher().publish(events(1))).rejects.toThrow(/refused 1 event/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it("answers, entry by entry, what is still refused after the last attempt; a call that throws refuses only its own batch", async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: { Detail?: string }[] }) => {
      const ids = input.Entries.map((entry) => JSON.parse(entry.Detail!).eventId as string);
      if (ids.includes("e-10")) throw new Error("connection reset");
      return { FailedEntryCount: ids.includes("e-3") ? 1 : 0, Entries: ids.map((id) => (id === "e-3" ? { ErrorCode: "InternalFailure" } : { EventId: id })) };
    });
    const refused = await publisher().publishEach(events(25));
    expect(refused.filter((r) => r.reason === "InternalFailure").map((r) => r.event.detail.eventId)).toEqual(["e-3"]);
    expect(refused.filter((r) => r.reason === "connection reset").map((r) => r.event.detail.eventId).sort())
      .toEqual(Array.from({ length: 10 }, (_, i) => `e-${10 + i}`).sort());
    expect(refused).toHaveLength(11);
  });
});
