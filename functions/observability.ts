import { Metrics } from "@aws-lambda-powertools/metrics";
import { METRICS_SERVICE } from "./metric-names.js";

/**
 * Powertools Metrics: CloudWatch embedded metric format written to the function's log, so a metric
 * costs no API call. The namespace is the stage's (POWERTOOLS_METRICS_NAMESPACE, set by the stacks);
 * POWERTOOLS_METRICS_DISABLED turns the output off (the local runtime does, where nothing reads it).
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "twofactor/local",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? METRICS_SERVICE,
});
