import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { notify, type NotifyOutcome } from "@twofactor/core";
import { logger } from "@twofactor/http";
import { mailer } from "../composition.js";
import { METRICS } from "../metric-names.js";
import { metrics } from "../observability.js";
import { consume } from "./consumer.js";

/** Security events → one mail each at most, rate-bounded per address (packages/core/src/notifications); paced (subscriptions.ts). */
export const handler = consume(async (deps, event) => countMail(await notify({ ...deps, mailer: mailer() }, event)));

/** What was done with a mail, as a metric (a redelivery or a kind that mails nothing counts nowhere). */
export function countMail(outcome: NotifyOutcome): void {
  if (outcome === "unknown") logger.warn("the mail transport failed mid-way: the mail is not sent again (at most once)");
  if (!["sent", "dropped", "suppressed", "unknown"].includes(outcome)) return;
  const single = metrics.singleMetric();
  single.addDimension("outcome", outcome);
  single.addMetric(METRICS.mails, MetricUnit.Count, 1);
}
