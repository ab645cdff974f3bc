import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent } from "@twofactor/events";
import { consume } from "./consumer.js";

// The composition root wants a key ring; a KMS key ARN is enough (nothing calls AWS here).
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  process.env.AWS_REGION ??= "us-east-1";
  process.env.KMS_KEY_ARN ??= "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000";
});

const detail = (eventId: string) => ({
  eventId, occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_1", userId: "usr_1", stage: "password", method: "password",
});

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId, receiptHandle: messageId, body: JSON.stringify(body), md5OfBody: "", messageAttributes: {},
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "events", ApproximateFirstReceiveTimestamp: "0" },
    eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:111122223333:audit-log", awsRegion: "us-east-1",
  };
}

const envelope = (detailType: string, body: unknown) => ({
  version: "0", id: "e", "detail-type": detailType, source: "twofactor", account: "111122223333", time: "2026-01-01T00:00:00Z",
  region: "us-east-1", resources: [], detail: body,
});

const context = { functionName: "audit-log", awsRequestId: "req-1", getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

describe("consume (SQS batch → one consumer call per event)", () => {
  it("reports only the records that failed: a poison event does not fail its batch", async () => {
    const seen: DomainEvent[] = [];
    const handler = consume(async (_deps, event) => {
      if (event.detail.eventId === "boom") throw new Error("store unavailable");
      seen.push(event);
    });
    const event: SQSEvent = {
      Records: [
        record("m1", envelope("LoginFailed", detail("a"))),
        record("m2", envelope("LoginFailed", { eventId: "not enough fields" })), // refused by the catalog
        record("m3", envelope("LoginFailed", detail("boom"))), // the consumer throws
        record("m4", envelope("LoginFailed", detail("b"))),
      ],
    };
    const response = await handler(event, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["m2", "m3"]);
    expect(seen.map((e) => e.detail.eventId).sort()).toEqual(["a", "b"]);
  });

  it("answers no failures when every record is consumed", async () => {
    const handler = consume(async () => undefined);
    expect(await handler({ Records: [record("m1", envelope("LoginFailed", detail("a")))] }, context)).toEqual({ batchItemFailures: [] });
  });

  it("throws when every record fails, so the whole batch is received again", async () => {
    const handler = consume(async () => { throw new Error("store unavailable"); });
    await expect(handler({ Records: [record("m1", envelope("LoginFailed", detail("a")))] }, context)).rejects.toThrow(/All records failed/);
  });
});
