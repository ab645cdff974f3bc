import { CfnStage, HttpStage, LogGroupLogDestination } from "aws-cdk-lib/aws-apigatewayv2";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import { MathExpression, Metric } from "aws-cdk-lib/aws-cloudwatch";
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from "aws-cdk-lib/aws-logs";
import { RemovalPolicy } from "aws-cdk-lib";
import { getStack, use, type StackContext } from "sst/constructs";
import { routes } from "@twofactor/functions/http/routes";
import { addAlarm, Alarms, FIVE_MINUTES, runbook, SUSTAINED } from "./alarms.js";
import { isCredentialRoute } from "./credential-routes.js";
import { metricsNamespace } from "./functions.js";
import { Gateway } from "./gateway.js";
import { ApiAccounts, ApiMe, ApiTeams } from "./routes.js";
import { Storage } from "./storage.js";

/** The API's 5xx share (percent) over five minutes that counts as breaching, once at least this many requests came in. */
export const API_5XX_PERCENT = 1;
export const API_5XX_MIN_REQUESTS = 20;
/** The share of 429s (throttled by the stage, or refused by the API's own attempt limits) that counts as breaching. */
export const API_429_PERCENT = 10;
export const API_429_MIN_REQUESTS = 50;
export const API_429_METRIC = "Api429Responses";

/** One JSON line per request in the access log (`$context` of an HTTP API). */
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId", time: "$context.requestTime", routeKey: "$context.routeKey", status: "$context.status",
  protocol: "$context.protocol", responseLength: "$context.responseLength", latency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency", integrationError: "$context.integrationErrorMessage", error: "$context.error.message",
};

/**
 * The API's one stage, `$default`, after every route stack: its route settings name routes, and a
 * stage naming a route that does not exist yet fails to deploy. Stage throttling for all routes,
 * tighter per-route throttling for the credential routes (backstops sized from capacity; WAF's
 * per-IP limits come first), JSON access logs (kept on `prod`), and alarms on the shares of 5xx and 429 answers.
 */
export function ApiStage({ stack }: StackContext) {
  const { config } = use(Storage);
  const { topic } = use(Alarms);
  const { httpApi } = use(Gateway);
  for (const group of [ApiAccounts, ApiMe, ApiTeams]) stack.addDependency(getStack(group));

  const accessLogs = new LogGroup(stack, "AccessLogs", {
    retention: RetentionDays[config.logRetention.toUpperCase() as Uppercase<typeof config.logRetention>],
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const stage = new HttpStage(stack, "Stage", {
    httpApi,
    stageName: "$default",
    autoDeploy: true,
    throttle: { rateLimit: config.throttle.rate, burstLimit: config.throttle.burst },
    accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
  });
  // RouteSettings is free-form JSON to CDK: the keys go out as written, so in CloudFormation's case.
  (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(routes.filter(isCredentialRoute).map((route) => [
    `${route.method} ${route.path}`,
    { ThrottlingRateLimit: config.credentialThrottle.rate, ThrottlingBurstLimit: config.credentialThrottle.burst },
  ]));

  const requests = httpApi.metricCount({ period: FIVE_MINUTES, statistic: "Sum" });
  addAlarm(stack, "Api5xxRateAlarm", topic, {
    description: `Over ${API_5XX_PERCENT}% of API requests answered 5xx (at least ${API_5XX_MIN_REQUESTS} requests) in 3 of the last ` +
      `5 periods of 5 minutes. ${runbook("Api5xxRate")}`,
    metric: new MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: { errors: httpApi.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }), requests },
      period: FIVE_MINUTES,
      label: "5xx %",
    }),
    threshold: API_5XX_PERCENT,
    ...SUSTAINED,
  });
  new MetricFilter(stack, "Api429s", {
    logGroup: accessLogs,
    metricNamespace: metricsNamespace(stack.stage),
    metricName: API_429_METRIC,
    filterPattern: FilterPattern.stringValue("$.status", "=", "429"),
    metricValue: "1",
  });
  addAlarm(stack, "Api429RateAlarm", topic, {
    description: `Over ${API_429_PERCENT}% of API requests answered 429 (at least ${API_429_MIN_REQUESTS} requests) in 3 of the last ` +
      `5 periods of 5 minutes. ${runbook("Api429Rate")}`,
    metric: new MathExpression({
      expression: `IF(requests >= ${API_429_MIN_REQUESTS}, 100 * throttled / requests, 0)`,
      usingMetrics: {
        throttled: new Metric({ namespace: metricsNamespace(stack.stage), metricName: API_429_METRIC, period: FIVE_MINUTES, statistic: "Sum" }),
        requests,
      },
      period: FIVE_MINUTES,
      label: "429 %",
    }),
    threshold: API_429_PERCENT,
    ...SUSTAINED,
  });
  stack.addOutputs({ ApiStage: stage.stageName });
  return { stage, accessLogs };
}
