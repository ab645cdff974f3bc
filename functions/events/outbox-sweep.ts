import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logger } from "@twofactor/http";
import { config, outbox } from "../composition.js";
import { METRICS } from "../metric-names.js";
import { metrics } from "../observability.js";

/**
 * Scheduled: publishes events a crashed or failed request still owes (those older than
 * OUTBOX_SWEEP_GRACE_SECONDS). An entry it cannot settle is skipped and logged; the others go on,
 * and the next run tries the skipped ones again. Each run reports how long the oldest event still
 * owed has waited (the outbox-age alarm); a run that could not read every shard reports no age, so
 * the alarm (missing data = breaching) fires when the sweep cannot see the whole outbox.
 */
export const handler = async (): Promise<{ published: number; skipped: number }> => {
  // Wall time, not the Clock port: the outbox stamps when events fell due with the wall clock (infrastructure, not domain time).
  const now = Date.now();
  const report = await outbox().sweep(new Date(now - config().OUTBOX_SWEEP_GRACE_SECONDS * 1000));
  for (const entry of report.skipped) logger.warn("outbox entry skipped: it stays owed", { ...entry });
  for (const shard of report.failedShards) logger.error("outbox shard not swept", { ...shard });

  metrics.addMetric(METRICS.outboxEventsPublished, MetricUnit.Count, report.published);
  metrics.addMetric(METRICS.outboxEntriesSkipped, MetricUnit.Count, report.skipped.length);
  if (report.failedShards.length === 0) {
    const oldest = Math.min(now, ...report.skipped.map((entry) => entry.due ?? now));
    metrics.addMetric(METRICS.outboxOldestPendingAge, MetricUnit.Seconds, Math.round((now - oldest) / 1000));
  }
  metrics.publishStoredMetrics();
  return { published: report.published, skipped: report.skipped.length };
};
