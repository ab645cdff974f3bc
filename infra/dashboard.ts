import { Duration } from "aws-cdk-lib";
import { Dashboard as CloudWatchDashboard, GraphWidget, MathExpression, Metric, TextWidget, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { use, type StackContext } from "sst/constructs";
import { METRICS, METRICS_SERVICE } from "@twofactor/functions/metric-names";
import { OUTBOX_AGE_ALARM_SECONDS } from "./bus.js";
import { CLOUDFRONT_REGION, Edge } from "./edge.js";
import { metricsNamespace } from "./functions.js";
import { Gateway } from "./gateway.js";
import { Mail } from "./mail.js";
import { Storage } from "./storage.js";
import { RUNBOOK } from "./alarms.js";

const PERIOD = Duration.minutes(5);

/**
 * The stage's CloudWatch dashboard, on `prod` and on a stage deployed with DASHBOARD=on (beyond an
 * account's first three, a dashboard costs $3 a month whether anyone looks or not): the edge
 * (requests, WAF's allowed and blocked where the stage has the ACL, CloudFront's error rates, all
 * kept by AWS in us-east-1), the API (requests, 4xx, 5xx, latency), every function of the stage
 * (errors, throttles, duration, found by name), the table (capacity, throttling), the consumers'
 * queues, the outbox, the service's own metrics (logins, failures, locks), and the security mails
 * (by outcome, with SES's bounce and complaint rates).
 */
export function Dashboard({ stack }: StackContext) {
  const { table, config } = use(Storage);
  if (!config.dashboard) return { dashboard: undefined };
  const { httpApi } = use(Gateway);
  const { distribution } = use(Edge);
  const { mail } = use(Mail);
  const waf = `${stack.stage}-twofactor`;
  const ns = metricsNamespace(stack.stage);
  const own = (metricName: string, statistic = "Sum", dimensionsMap: Record<string, string> = { service: METRICS_SERVICE }) =>
    new Metric({ namespace: ns, metricName, dimensionsMap, statistic, period: PERIOD });
  // Every function and queue of the stage, whatever its stack: CloudFormation names them `<stage>-twofactor-<Stack>-…`.
  const stageOnly = `"${stack.stage}-twofactor-"`;
  const search = (namespace: string, dimension: string, metricName: string, statistic: string, label: string, filter = stageOnly): IMetric =>
    new MathExpression({
      expression: `SEARCH('{${namespace},${dimension}} MetricName="${metricName}" ${filter}', '${statistic}', ${PERIOD.toSeconds()})`,
      usingMetrics: {},
      label,
      period: PERIOD,
    });
  const edge = (metricName: string, statistic: string) => new Metric({
    namespace: "AWS/CloudFront", metricName, region: CLOUDFRONT_REGION, statistic, period: PERIOD,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: "Global" },
  });
  const wafMetric = (metricName: string) => new Metric({
    namespace: "AWS/WAFV2", metricName, region: CLOUDFRONT_REGION, statistic: "Sum", period: PERIOD, dimensionsMap: { WebACL: waf, Rule: "ALL" },
  });
  const graph = (title: string, left: IMetric[], right: IMetric[] = []) => new GraphWidget({ title, left, right, width: 12, height: 6 });

  const dashboard = new CloudWatchDashboard(stack, "Dashboard", {
    dashboardName: `${stack.stage}-twofactor`,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(new TextWidget({
    markdown: `# twofactor ${stack.stage}\nEvery alarm's runbook: \`${RUNBOOK}\`. Edge and WAF figures are CloudFront's, kept in ${CLOUDFRONT_REGION}.`,
    width: 24, height: 2,
  }));
  dashboard.addWidgets(
    config.webAcl
      ? graph("Edge: requests, and WAF's verdicts", [edge("Requests", "Sum"), wafMetric("AllowedRequests"), wafMetric("BlockedRequests")])
      : graph("Edge: requests (no web ACL on this stage)", [edge("Requests", "Sum")]),
    graph("Edge: error rates (%)", [edge("4xxErrorRate", "Average"), edge("5xxErrorRate", "Average")]),
  );
  dashboard.addWidgets(
    graph("API: requests and errors", [
      httpApi.metricCount({ period: PERIOD, statistic: "Sum" }),
      httpApi.metricClientError({ period: PERIOD, statistic: "Sum" }),
      httpApi.metricServerError({ period: PERIOD, statistic: "Sum" }),
    ]),
    graph("API: latency (ms)", [httpApi.metricLatency({ period: PERIOD, statistic: "p50" }), httpApi.metricLatency({ period: PERIOD, statistic: "p99" })]),
  );
  dashboard.addWidgets(
    graph("Functions: errors and throttles", [
      search("AWS/Lambda", "FunctionName", "Errors", "Sum", "errors"),
      search("AWS/Lambda", "FunctionName", "Throttles", "Sum", "throttles"),
    ]),
    graph("Functions: duration p99 (ms)", [search("AWS/Lambda", "FunctionName", "Duration", "p99", "p99")]),
  );
  dashboard.addWidgets(
    graph("Table: consumed capacity", [
      table.metricConsumedReadCapacityUnits({ period: PERIOD, statistic: "Sum" }),
      table.metricConsumedWriteCapacityUnits({ period: PERIOD, statistic: "Sum" }),
    ], [
      table.metric("ReadThrottleEvents", { period: PERIOD, statistic: "Sum" }),
      table.metric("WriteThrottleEvents", { period: PERIOD, statistic: "Sum" }),
    ]),
    graph("Consumers' queues: waiting, oldest (s)", [
      search("AWS/SQS", "QueueName", "ApproximateNumberOfMessagesVisible", "Maximum", "waiting"),
    ], [search("AWS/SQS", "QueueName", "ApproximateAgeOfOldestMessage", "Maximum", "oldest")]),
  );
  dashboard.addWidgets(
    graph(`Outbox: oldest owed event (s; alarm above ${OUTBOX_AGE_ALARM_SECONDS})`, [own(METRICS.outboxOldestPendingAge, "Maximum")], [own(METRICS.outboxEventsPublished)]),
    graph("Sign-ins: logins, failures, locks", [
      search(ns, "service,method", METRICS.logins, "Sum", "logins", ""),
      search(ns, "service,factor", METRICS.loginFailures, "Sum", "failures", ""),
    ], [search(ns, "service,scope", METRICS.accountLocks, "Sum", "locks", "")]),
  );
  const reputation = (metricName: string, label: string) => new Metric({
    namespace: "AWS/SES", metricName, label, statistic: "Maximum", period: PERIOD, dimensionsMap: { "ses:configuration-set": mail.configurationSetName },
  });
  dashboard.addWidgets(graph("Security mails: by outcome; SES's bounce and complaint rates", [
    search(ns, "service,outcome", METRICS.mails, "Sum", "mails", ""),
  ], [reputation("Reputation.BounceRate", "bounce rate"), reputation("Reputation.ComplaintRate", "complaint rate")]));
  stack.addOutputs({ DashboardName: dashboard.dashboardName });
  return { dashboard };
}
