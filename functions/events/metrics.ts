import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DetailOf, DetailType, DomainEvent } from "@twofactor/events";
import type { METERED } from "@twofactor/events/subscriptions";
import { METRICS } from "../metric-names.js";
import { metrics } from "../observability.js";
import { consume } from "./consumer.js";

type Metered = (typeof METERED)[number];
type Count = { name: string; dimensions: Record<string, string> };

/** The metric each metered event counts, with its dimensions (one per subscribed detail type). */
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

/**
 * Turns security events into CloudWatch metrics (Powertools, embedded metric format): logins by
 * method, failures by factor, locks, clone detections, devices changed, members flagged by a rollout. One metric per event, with its own
 * dimensions; delivery is at least once, so a rare duplicate delivery counts twice.
 */
export const handler = consume(async (_deps, event) => {
  const count = countOf(event);
  if (!count) return;
  const single = metrics.singleMetric();
  for (const [name, value] of Object.entries(count.dimensions)) single.addDimension(name, value);
  single.addMetric(count.name, MetricUnit.Count, 1);
});
