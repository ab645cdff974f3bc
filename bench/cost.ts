/**
 * `npm run bench:cost` (also part of `npm run bench`): the cost model. Runs the priced operations
 * on the embedded runtime with every AWS request metered, prices them at list prices, and prices a
 * month at rest of a dev stage and of prod from their synthesized templates. Prints tables.
 */
import { pathToFileURL } from "node:url";

// Logs at prod's level and metrics on, so that what the functions log is what CloudWatch would ingest
// (set before the functions' modules load: Powertools reads them once).
process.env.POWERTOOLS_LOG_LEVEL = "INFO";
process.env.POWERTOOLS_METRICS_DISABLED = "false";
process.env.POWERTOOLS_METRICS_NAMESPACE = "twofactor/bench";

export async function benchCost(): Promise<string[]> {
  const { costReport } = await import("./cost/report.js");
  const { outboxRelay } = await import("@twofactor/functions/events/stream");
  // The outbox relay takes the table's stream in batches of its configured size (its 1 s window fills them at scale).
  return costReport([{ handler: outboxRelay.handler, batch: outboxRelay.batchSize, viaQueue: false }]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await benchCost()) console.log(line);
}
