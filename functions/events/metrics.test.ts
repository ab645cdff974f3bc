import type { Context, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { METERED } from "@twofactor/events/subscriptions";
import type { handler as Handler } from "./metrics.js";

/** Powertools writes EMF lines to stdout; metrics are on here (the local runtime turns them off). */
let handler: typeof Handler;
let COUNTS: Record<string, unknown>;
const lines: string[] = [];
beforeAll(async () => {
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "twofactor/test");
  vi.stubEnv("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true");
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("KMS_KEY_ARN", "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000");
  ({ handler, COUNTS } = await import("./metrics.js"));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const base = (eventId: string) => ({ eventId, occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_1", userId: "usr_1" });
const record = (messageId: string, detailType: string, detail: object): SQSRecord => ({
  messageId, receiptHandle: messageId, md5OfBody: "", messageAttributes: {}, eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:111122223333:metrics", awsRegion: "us-east-1",
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "events", ApproximateFirstReceiveTimestamp: "0" },
  body: JSON.stringify({ "detail-type": detailType, source: "twofactor", id: messageId, detail }),
});
const context = { functionName: "metrics", awsRequestId: "req-1", getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

describe("the metrics consumer", () => {
  it("counts each metered event once, with its own dimensions, in the stage's namespace", async () => {
    const response = await handler({
      Records: [
        record("m1", "LoginSucceeded", { ...base("a"), method: "totp", scope: "full" }),
        record("m2", "LoginFailed", { ...base("b"), stage: "second_factor", method: "webauthn" }),
        record("m3", "AccountLocked", { ...base("c"), scope: "second_factor", lockedUntil: "2026-01-01T00:15:00.000Z" }),
        record("m4", "SecurityKeyCloneDetected", { ...base("d"), keyId: "AAAAAAAAAAAAAAAAAAAAAA", storedCounter: 5, presentedCounter: 5 }),
        record("m5", "DeviceChanged", {
          ...base("e"), deviceId: "dev_x", changed: ["network", "browser"], previousNetwork: "127.0.0.0/24", network: "127.0.1.0/24",
          previousBrowser: { family: "Chrome", major: "130" }, browser: { family: "Firefox", major: "130" },
        }),
        record("m6", "MemberFlaggedForSetup", { ...base("f"), teamId: "team_x", reason: "enforcement" }),
      ],
    }, context);
    expect(response.batchItemFailures).toEqual([]);
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    const counted = emf.map((blob) => {
      const { Namespace, Metrics, Dimensions } = blob._aws.CloudWatchMetrics[0];
      const name = Metrics[0].Name as string;
      return { Namespace, name, value: blob[name], dimensions: Object.fromEntries((Dimensions[0] as string[]).map((d) => [d, blob[d]])) };
    });
    expect(counted).toEqual(expect.arrayContaining([
      { Namespace: "twofactor/test", name: "Logins", value: 1, dimensions: { service: "twofactor", method: "totp" } },
      { Namespace: "twofactor/test", name: "LoginFailures", value: 1, dimensions: { service: "twofactor", factor: "webauthn" } },
      { Namespace: "twofactor/test", name: "AccountLocks", value: 1, dimensions: { service: "twofactor", scope: "second_factor" } },
      { Namespace: "twofactor/test", name: "SecurityKeyCloneDetections", value: 1, dimensions: { service: "twofactor" } },
      { Namespace: "twofactor/test", name: "DevicesChanged", value: 1, dimensions: { service: "twofactor", changed: "browser+network" } },
      { Namespace: "twofactor/test", name: "MembersFlaggedForSetup", value: 1, dimensions: { service: "twofactor", reason: "enforcement" } },
    ]));
    expect(counted).toHaveLength(6);
  });

  it("has a count for exactly the detail types its subscription takes", () => {
    expect(Object.keys(COUNTS).sort()).toEqual([...METERED].sort());
  });
});
