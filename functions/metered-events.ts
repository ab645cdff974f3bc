import { emfLines as countLines, metricsDisabled, writeEmf, type MetricCount, type MetricsEnvironment } from "@twofactor/aws";
import type { DetailOf, DetailType, DomainEvent } from "@twofactor/events";
import { METRICS, METRICS_SERVICE } from "./metric-names.js";

export { metricsDisabled };

/** The events that are counted as CloudWatch metrics (COUNTS says as what). */
export const METERED = [
  "LoginSucceeded", "LoginFailed", "AccountLocked", "SecurityKeyCloneDetected", "DeviceChanged", "MemberFlaggedForSetup",
] as const satisfies readonly DetailType[];

type Metered = (typeof METERED)[number];

/** The metric each metered event counts, with its dimensions (one per metered detail type). */
export const COUNTS: { [T in Metered]: (detail: DetailOf<T>) => MetricCount } = {
  LoginSucceeded: (detail) => ({ name: METRICS.logins, dimensions: { method: detail.method } }),
  LoginFailed: (detail) => ({ name: METRICS.loginFailures, dimensions: { factor: detail.method } }),
  AccountLocked: (detail) => ({ name: METRICS.accountLocks, dimensions: { scope: detail.scope } }),
  SecurityKeyCloneDetected: () => ({ name: METRICS.cloneDetections, dimensions: {} }),
  DeviceChanged: (detail) => ({ name: METRICS.devicesChanged, dimensions: { changed: [...detail.changed].sort().join("+") } }),
  MemberFlaggedForSetup: (detail) => ({ name: METRICS.membersFlaggedForSetup, dimensions: { reason: detail.reason } }),
};

function countOf(event: DomainEvent): MetricCount[] {
  const count = (COUNTS as Partial<Record<DetailType, (detail: unknown) => MetricCount>>)[event.detailType];
  return count ? [count(event.detail)] : [];
}

/** The EMF lines that count the metered ones among `events`. */
export function emfLines(events: readonly DomainEvent[], env: MetricsEnvironment, timestamp: number): string[] {
  return countLines(events.flatMap(countOf), env, timestamp, METRICS_SERVICE);
}

/**
 * The outbox's hook: counts the metered events of a write once it is stored, in the function that
 * wrote it, so no queue or consumer stands between an event and its metric. A write refused by its
 * condition owes nothing, so a retried request counts once.
 */
export function countOwed(events: readonly DomainEvent[], env: MetricsEnvironment = process.env): void {
  if (!metricsDisabled(env)) writeEmf(emfLines(events, env, Date.now()));
}
