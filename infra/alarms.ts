import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic, type ITopic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, UrlSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";
import { use, type StackContext } from "sst/constructs";
import { metricsNamespace } from "./functions.js";
import { Keys } from "./keys.js";
import { ALARM_TOPIC_SUPPRESSIONS } from "./nag.js";
import { stageConfig } from "./stages.js";
import { Storage } from "./storage.js";

export const FIVE_MINUTES = Duration.minutes(5);

/** Where each alarm's runbook is: its description names the section, which the docs test finds. */
export const RUNBOOK = "docs/deploying.md";
export const runbook = (section: string) => `Runbook: ${RUNBOOK}, "${section}".`;

/**
 * The stage's alarm topic, its subscribers, and the alarms on what every stack shares: Lambda's
 * throttling in the region, DynamoDB's throttling of the tables, and the key service's failures
 * (KMS or the branch key store, as the vault functions log them). A disposable stage gets none of
 * this unless someone is named to hear it (ALARM_EMAIL or ALARM_SUBSCRIBERS): `topic` is then
 * undefined and every `addAlarm` does nothing.
 */
export function Alarms({ stack, app }: StackContext) {
  const config = stageConfig(stack.stage);
  const { table } = use(Storage);
  const { branchKeys } = use(Keys);
  if (!config.alarms.enabled) return { topic: undefined };
  const topic = new Topic(stack, "AlarmTopic", {
    topicName: app.logicalPrefixedName("alarms"),
    displayName: `twofactor ${stack.stage} alarms`,
    enforceSSL: true,
  });
  for (const subscriber of [...(config.alarms.email ? [config.alarms.email] : []), ...config.alarms.subscribers]) {
    topic.addSubscription(subscriber.startsWith("https://") ? new UrlSubscription(subscriber) : new EmailSubscription(subscriber));
  }
  NagSuppressions.addResourceSuppressions(topic, ALARM_TOPIC_SUPPRESSIONS);

  addAlarm(stack, "LambdaThrottlesAlarm", topic, {
    description: `Lambda refused invocations in this region for lack of concurrency, in 3 of the last 5 periods of 5 minutes. ${runbook("LambdaThrottles")}`,
    metric: new Metric({ namespace: "AWS/Lambda", metricName: "Throttles", period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: 0,
    ...SUSTAINED,
  });
  const throttleEvents = Object.fromEntries([table, branchKeys].flatMap((t, i) => [
    [`r${i}`, t.metric("ReadThrottleEvents", { period: FIVE_MINUTES, statistic: "Sum" })],
    [`w${i}`, t.metric("WriteThrottleEvents", { period: FIVE_MINUTES, statistic: "Sum" })],
  ]));
  addAlarm(stack, "DynamoDbThrottlesAlarm", topic, {
    description: `DynamoDB throttled reads or writes of the table or the branch key store, in 3 of the last 5 periods of 5 minutes. ${runbook("DynamoDbThrottles")}`,
    metric: new MathExpression({ expression: Object.keys(throttleEvents).join(" + "), usingMetrics: throttleEvents, period: FIVE_MINUTES, label: "throttle events" }),
    threshold: 0,
    ...SUSTAINED,
  });
  addAlarm(stack, "KeyServiceFailuresAlarm", topic, {
    description: `The vault functions could not reach KMS or the branch key store (TOTP answers 503) at least ${KEY_SERVICE_FAILURES} times ` +
      `in each of 2 of the last 3 periods of 5 minutes. ${runbook("KeyServiceFailures")}`,
    metric: new Metric({ namespace: metricsNamespace(stack.stage), metricName: KEY_SERVICE_FAILURES_METRIC, period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: KEY_SERVICE_FAILURES - 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
  });
  stack.addOutputs({ AlarmTopicArn: topic.topicArn });
  return { topic };
}

/** Most alarms fire on what lasts, not on one bad minute: 3 breaching periods of the last 5. */
export const SUSTAINED = { evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

/** What the vault functions' log lines are counted as when the key service fails them (a metric filter on their logs). */
export const KEY_SERVICE_FAILURES_METRIC = "KeyServiceFailures";
export const KEY_SERVICE_FAILURES = 5;

export interface AlarmSpec {
  /** What broke, and what to do first: the description an on-call engineer reads in the notification. */
  description: string;
  metric: IMetric;
  threshold: number;
  comparison?: ComparisonOperator;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  /** Missing data means "nothing happened" for counts; for a heartbeat-like metric it means trouble. */
  missing?: TreatMissingData;
}

/** An alarm that notifies the stage's topic when it fires and when it recovers; none when the stage has no topic. */
export function addAlarm(scope: Construct, id: string, topic: ITopic | undefined, spec: AlarmSpec): Alarm | undefined {
  if (!topic) return undefined;
  const alarm = new Alarm(scope, id, {
    alarmDescription: spec.description,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: spec.evaluationPeriods ?? 1,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.missing ?? TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}

/** A function's failed invocations (threw, timed out, ran out of memory) as a share of its invocations. */
export const FUNCTION_ERROR_PERCENT = 5;
export const FUNCTION_ERROR_MIN_INVOCATIONS = 10;

export function addFunctionAlarms(scope: Construct, id: string, topic: ITopic | undefined, fn: LambdaMetrics, handler: string): void {
  addAlarm(scope, `${id}ErrorRateAlarm`, topic, {
    description: `Over ${FUNCTION_ERROR_PERCENT}% of ${handler}'s invocations failed (threw, timed out or ran out of memory), ` +
      `with at least ${FUNCTION_ERROR_MIN_INVOCATIONS}, in 3 of the last 5 periods of 5 minutes. ${runbook("FunctionErrorRate")}`,
    metric: new MathExpression({
      expression: `IF(invocations >= ${FUNCTION_ERROR_MIN_INVOCATIONS}, 100 * errors / invocations, 0)`,
      usingMetrics: {
        errors: fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
        invocations: fn.metricInvocations({ period: FIVE_MINUTES, statistic: "Sum" }),
      },
      period: FIVE_MINUTES,
      label: "errors %",
    }),
    threshold: FUNCTION_ERROR_PERCENT,
    ...SUSTAINED,
  });
}

interface LambdaMetrics {
  metricErrors(props: { period: Duration; statistic: string }): IMetric;
  metricInvocations(props: { period: Duration; statistic: string }): IMetric;
}
