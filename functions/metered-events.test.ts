import { afterEach, describe, expect, it, vi } from "vitest";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import { COUNTS, countOwed, emfLines, METERED, metricsDisabled } from "./metered-events.js";

const base = (eventId: string) => ({ eventId, occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_1", userId: "usr_1" });
const event = (detailType: string, detail: object): DomainEvent => parseEvent(detailType, detail);
const ENV = { POWERTOOLS_METRICS_NAMESPACE: "twofactor/test", POWERTOOLS_SERVICE_NAME: "twofactor" };

/** What CloudWatch reads from an EMF line: namespace, metric, value and dimensions. */
function read(line: string) {
  const blob = JSON.parse(line);
  const { Namespace, Metrics, Dimensions } = blob._aws.CloudWatchMetrics[0];
  const name = Metrics[0].Name as string;
  return { Namespace, name, unit: Metrics[0].Unit, value: blob[name], dimensions: Object.fromEntries((Dimensions[0] as string[]).map((d) => [d, blob[d]])) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("metrics of the events a write stored", () => {
  it("counts each metered event with its own dimensions, in the stage's namespace, service first", () => {
    const lines = emfLines([
      event("LoginSucceeded", { ...base("a"), method: "totp", scope: "full" }),
      event("LoginFailed", { ...base("b"), stage: "second_factor", method: "webauthn" }),
      event("AccountLocked", { ...base("c"), scope: "second_factor", lockedUntil: "2026-01-01T00:15:00.000Z" }),
      event("SecurityKeyCloneDetected", { ...base("d"), keyId: "AAAAAAAAAAAAAAAAAAAAAA", storedCounter: 5, presentedCounter: 5 }),
      event("DeviceChanged", {
        ...base("e"), deviceId: "dev_x", changed: ["network", "browser"], previousNetwork: "127.0.0.0/24", network: "127.0.1.0/24",
        previousBrowser: { family: "Chrome", major: "130" }, browser: { family: "Firefox", major: "130" },
      }),
      event("MemberFlaggedForSetup", { ...base("f"), teamId: "team_x", reason: "enforcement" }),
    ], ENV, 1_800_000_000_000);
    expect(lines.map(read)).toEqual([
      { Namespace: "twofactor/test", name: "Logins", unit: "Count", value: 1, dimensions: { service: "twofactor", method: "totp" } },
      { Namespace: "twofactor/test", name: "LoginFailures", unit: "Count", value: 1, dimensions: { service: "twofactor", factor: "webauthn" } },
      { Namespace: "twofactor/test", name: "AccountLocks", unit: "Count", value: 1, dimensions: { service: "twofactor", scope: "second_factor" } },
      { Namespace: "twofactor/test", name: "SecurityKeyCloneDetections", unit: "Count", value: 1, dimensions: { service: "twofactor" } },
      { Namespace: "twofactor/test", name: "DevicesChanged", unit: "Count", value: 1, dimensions: { service: "twofactor", changed: "browser+network" } },
      { Namespace: "twofactor/test", name: "MembersFlaggedForSetup", unit: "Count", value: 1, dimensions: { service: "twofactor", reason: "enforcement" } },
    ]);
    for (const line of lines) expect(JSON.parse(line)._aws.Timestamp).toBe(1_800_000_000_000);
  });

  it("sums alike events of one write into one line, and leaves out the events it does not count", () => {
    const flagged = Array.from({ length: 200 }, (_, i) => event("MemberFlaggedForSetup", { ...base(`m${i}`), teamId: "team_x", reason: i < 150 ? "enforcement" : "joined" }));
    const lines = emfLines([...flagged, event("TotpEnabled", base("t"))], ENV, 0).map(read);
    expect(lines).toEqual([
      expect.objectContaining({ name: "MembersFlaggedForSetup", value: 150, dimensions: { service: "twofactor", reason: "enforcement" } }),
      expect.objectContaining({ name: "MembersFlaggedForSetup", value: 50, dimensions: { service: "twofactor", reason: "joined" } }),
    ]);
    expect(emfLines([event("TotpEnabled", base("t"))], ENV, 0)).toEqual([]);
  });

  it("has a count for exactly the metered detail types", () => {
    expect(Object.keys(COUNTS).sort()).toEqual([...METERED].sort());
  });

  it("writes the lines to stdout itself, unless Powertools' variables turn metrics off", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const login = [event("LoginSucceeded", { ...base("a"), method: "password", scope: "full" })];
    countOwed(login, { ...ENV, POWERTOOLS_METRICS_DISABLED: "true" });
    countOwed(login, { ...ENV, POWERTOOLS_DEV: "true" });
    expect(written).toEqual([]);
    countOwed(login, { ...ENV, POWERTOOLS_DEV: "true", POWERTOOLS_METRICS_DISABLED: "false" });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/\n$/);
    expect(read(written[0]!)).toMatchObject({ name: "Logins", value: 1, dimensions: { method: "password" } });
    expect(metricsDisabled({})).toBe(false);
  });
});
