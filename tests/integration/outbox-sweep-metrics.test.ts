import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { signUpAndLogin } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * What the outbox sweep reports to CloudWatch. Powertools Metrics reads its variables when the
 * sweep's module is first imported, so this file stubs them first and runs in a process of its own
 * (vitest.config.ts, ISOLATED). No periodic sweep: each test sweeps itself.
 */
vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "twofactor/test");
const ctx = useSystem({ sweep: { intervalMs: 3_600_000, graceMs: 0 } });

/** The metrics of the EMF lines written since the test began, by name; other output passes through. */
let reported: Record<string, number>[] = [];
beforeEach(() => {
  reported = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (!text.includes('"_aws"')) return write(chunk as string, ...(rest as []));
    const blob = JSON.parse(text);
    const names = (blob._aws.CloudWatchMetrics[0].Metrics as { Name: string }[]).map((m) => m.Name);
    reported.push(Object.fromEntries(names.map((name) => [name, blob[name]])));
    return true;
  }) as typeof process.stdout.write);
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("the outbox sweep's metrics", () => {
  it("at rest are the age of the oldest owed event alone: a count reported every minute would be a custom metric billed all month", async () => {
    expect(await ctx.system.sweepOutbox()).toEqual({ published: 0, skipped: 0 });
    expect(reported).toEqual([{ OutboxOldestPendingAge: 0 }]);
  });

  it("count what the sweep published when there was some", async () => {
    ctx.system.bus.refuseNextEntries(1_000);
    await signUpAndLogin(ctx.api);
    await ctx.system.bus.idle();
    ctx.system.bus.refuseNextEntries(0);
    reported = [];
    expect((await ctx.system.sweepOutbox()).published).toBe(1);
    expect(reported).toEqual([{ OutboxEventsPublished: 1, OutboxOldestPendingAge: 0 }]);
  });
});
