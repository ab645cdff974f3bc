import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { moveLegacyOutbox } from "@twofactor/aws";
import { logger } from "@twofactor/http";
import { config, outboxBacklog, table } from "../composition.js";
import { METRICS } from "../metric-names.js";
import { metrics } from "../observability.js";

/**
 * Scheduled: publishes the backlog — the events the relay could not publish (EventBridge refused
 * them, or they no longer parse) — every shard at once, 10 entries a call; and moves into it what
 * the outbox index still holds from before the table's stream carried owed events (older than
 * OUTBOX_SWEEP_GRACE_SECONDS). An event held until a later time (an hour's mail summary) waits for
 * the first run after it. An entry it cannot settle is skipped and logged; the next run tries
 * again. Each run reports how long the oldest entry left has waited (the outbox-age alarm); a run
 * that could not read every shard reports no age, so the alarm (missing data = breaching) fires
 * when the sweep cannot see the whole backlog. What it published and skipped is reported only when
 * there was some.
 */
export const handler = async (): Promise<{ published: number; skipped: number }> => {
  // Wall time, not the Clock port: entries are stamped with when their events happened (infrastructure, not domain time).
  const now = Date.now();
  const legacy = await moveLegacyOutbox(table(), outboxBacklog(), config().OUTBOX_SHARDS, new Date(now - config().OUTBOX_SWEEP_GRACE_SECONDS * 1000));
  const report = await outboxBacklog().drain(new Date(now));
  const skipped = [...legacy.skipped, ...report.skipped];
  const failedShards = [...legacy.failedShards, ...report.failedShards];
  for (const entry of skipped) logger.warn("outbox entry skipped: it stays owed", { ...entry });
  for (const shard of failedShards) logger.error("outbox shard not swept", { ...shard });

  // The counts only when there is something to count: a metric reported every minute is billed as a
  // custom metric all month ($0.30 each), and a sweep at rest has nothing to count. The age is reported
  // every run, nothing owed or not: its alarm takes a missing report for a sweep that stopped.
  if (report.published > 0) metrics.addMetric(METRICS.outboxEventsPublished, MetricUnit.Count, report.published);
  if (skipped.length > 0) metrics.addMetric(METRICS.outboxEntriesSkipped, MetricUnit.Count, skipped.length);
  if (failedShards.length === 0) {
    const oldest = Math.min(now, ...skipped.map((entry) => entry.due ?? now));
    metrics.addMetric(METRICS.outboxOldestPendingAge, MetricUnit.Seconds, Math.round((now - oldest) / 1000));
  }
  if (report.published > 0 || skipped.length > 0 || failedShards.length === 0) metrics.publishStoredMetrics();
  return { published: report.published, skipped: skipped.length };
};
