import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { countMail as CountMail } from "./notifier.js";

/** Powertools writes EMF lines to stdout; metrics are on here (the local runtime turns them off). */
let countMail: typeof CountMail;
const lines: string[] = [];
beforeAll(async () => {
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "twofactor/test");
  vi.stubEnv("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true");
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("KMS_KEY_ARN", "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000");
  ({ countMail } = await import("./notifier.js"));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("the notifier's metric", () => {
  it("counts each mail by what became of it: sent, dropped over the rate, suppressed, unknown; a redelivery counts nowhere", () => {
    for (const outcome of ["sent", "dropped", "dropped", "suppressed", "unknown", "duplicate", "not_mailed", "no_recipient"] as const) countMail(outcome);
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    expect(emf.map((blob) => ({ namespace: blob._aws.CloudWatchMetrics[0].Namespace, name: blob._aws.CloudWatchMetrics[0].Metrics[0].Name, outcome: blob.outcome, value: blob.Mails })))
      .toEqual(["sent", "dropped", "dropped", "suppressed", "unknown"].map((outcome) => ({ namespace: "twofactor/test", name: "Mails", outcome, value: 1 })));
  });
});
