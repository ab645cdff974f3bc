import type { DetailOf, DetailType, DomainEvent } from "@twofactor/events";
import { METRICS, METRICS_SERVICE } from "./metric-names.js";

/** The events that are counted as CloudWatch metrics (COUNTS says as what). */
export const METERED = [
  "LoginSucceeded", "LoginFailed", "AccountLocked", "SecurityKeyCloneDetected", "DeviceChanged", "MemberFlaggedForSetup",
] as const satisfies readonly DetailType[];

type Metered = (typeof METERED)[number];
type Count = { name: string; dimensions: Record<string, string> };

/** The metric each metered event counts, with its dimensions (one per metered detail type). */
export const COUNTS: { [T in Metered]: (detail: DetailOf<T>) => Count } = {
  LoginSucceeded: (detail) => ({ name: METRICS.logins, dimensions: { method: detail.method } }),
  LoginFailed: (detail) => ({ name: METRICS.loginFailures, dimensions: { factor: detail.method } }),
  AccountLocked: (detail) => ({ name: METRICS.accountLocks, dimensions: { scope: detail.scope } }),
  SecurityKeyCloneDetected: () => ({ name: METRICS.cloneDetections, dimensions: {} }),
  DeviceChanged: (detail) => ({ name: METRICS.devicesChanged, dimensions: { changed: [...detail.changed].sort().join("+") } }),
  MemberFlaggedForSetup: (detail) => ({ name: METRICS.membersFlaggedForSetup, dimensions: { reason: detail.reason } }),
};

function countOf(event: DomainEvent): Count | undefined {
  const count = (COUNTS as Partial<Record<DetailType, (detail: unknown) => Count>>)[event.detailType];
  return count?.(event.detail);
}

/** Where the lines go and whether they are written: Powertools' variables, read as Powertools Metrics reads them. */
export interface MetricsEnvironment {
  POWERTOOLS_METRICS_NAMESPACE?: string;
  POWERTOOLS_SERVICE_NAME?: string;
  POWERTOOLS_METRICS_DISABLED?: string;
  POWERTOOLS_DEV?: string;
}

const TRUTHY = /^\s*(1|true|yes|on)\s*$/i;

/** POWERTOOLS_METRICS_DISABLED decides; unset, POWERTOOLS_DEV does (the local runtime turns metrics off). */
export function metricsDisabled(env: MetricsEnvironment): boolean {
  return env.POWERTOOLS_METRICS_DISABLED !== undefined ? TRUTHY.test(env.POWERTOOLS_METRICS_DISABLED) : TRUTHY.test(env.POWERTOOLS_DEV ?? "");
}

/**
 * CloudWatch embedded metric format: one JSON line per metric and set of dimensions among `events`,
 * its value the number of those events (a fan-out page owes hundreds of alike ones), dimension
 * `service` first as Powertools writes it, so that the dashboard's searches find them.
 */
export function emfLines(events: readonly DomainEvent[], env: MetricsEnvironment, timestamp: number): string[] {
  const service = env.POWERTOOLS_SERVICE_NAME ?? METRICS_SERVICE;
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE ?? "twofactor/local";
  const counted = new Map<string, { count: Count; value: number }>();
  for (const event of events) {
    const count = countOf(event);
    if (!count) continue;
    const key = JSON.stringify([count.name, count.dimensions]);
    const seen = counted.get(key);
    if (seen) seen.value++;
    else counted.set(key, { count, value: 1 });
  }
  return [...counted.values()].map(({ count: { name, dimensions }, value }) => {
    const all = { service, ...dimensions };
    return JSON.stringify({
      _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(all)], Metrics: [{ Name: name, Unit: "Count" }] }] },
      ...all,
      [name]: value,
    });
  });
}

/**
 * The outbox's hook: counts the metered events of a write once it is stored, in the function that
 * wrote it, so no queue or consumer stands between an event and its metric. A write refused by its
 * condition owes nothing, so a retried request counts once. Written to stdout itself, as
 * Powertools does: Lambda's JSON log format would wrap a console.log line, and EMF must be the line.
 */
export function countOwed(events: readonly DomainEvent[], env: MetricsEnvironment = process.env): void {
  if (metricsDisabled(env)) return;
  for (const line of emfLines(events, env, Date.now())) process.stdout.write(`${line}\n`);
}
