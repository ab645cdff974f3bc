import { logger } from "@twofactor/http";
import { getRuntime } from "../composition.js";

/**
 * Scheduled: publishes events a crashed or failed request still owes (those older than
 * OUTBOX_SWEEP_GRACE_SECONDS). An entry it cannot settle is skipped and logged; the others go on,
 * and the next run tries the skipped ones again.
 */
export const handler = async (): Promise<{ published: number; skipped: number }> => {
  const { outbox, config } = await getRuntime();
  const report = await outbox.sweep(new Date(Date.now() - config.OUTBOX_SWEEP_GRACE_SECONDS * 1000));
  for (const entry of report.skipped) logger.warn("outbox entry skipped", { ...entry });
  for (const shard of report.failedShards) logger.error("outbox shard not swept", { ...shard });
  return { published: report.published, skipped: report.skipped.length };
};
