import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic, type ITopic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, UrlSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";
import type { StackContext } from "sst/constructs";
import { ALARM_TOPIC_SUPPRESSIONS } from "./nag.js";
import { stageConfig } from "./stages.js";

/**
 * The one SNS topic every alarm of the stage notifies, on alarm and on recovery. Its subscribers
 * (emails, https:// endpoints such as a pager's webhook) come from the stage's ALARM_SUBSCRIBERS.
 */
export function Alarms({ stack, app }: StackContext) {
  const config = stageConfig(stack.stage);
  const topic = new Topic(stack, "AlarmTopic", {
    topicName: app.logicalPrefixedName("alarms"),
    displayName: `twofactor ${stack.stage} alarms`,
    enforceSSL: true,
  });
  for (const subscriber of config.alarmSubscribers) {
    topic.addSubscription(subscriber.startsWith("https://") ? new UrlSubscription(subscriber) : new EmailSubscription(subscriber));
  }
  NagSuppressions.addResourceSuppressions(topic, ALARM_TOPIC_SUPPRESSIONS);
  stack.addOutputs({ AlarmTopicArn: topic.topicArn });
  return { topic };
}

export interface AlarmSpec {
  /** What broke, and what to do first: the description an on-call engineer reads in the notification. */
  description: string;
  metric: IMetric;
  threshold: number;
  comparison?: ComparisonOperator;
  evaluationPeriods?: number;
  /** Missing data means "nothing happened" for counts; for a heartbeat-like metric it means trouble. */
  missing?: TreatMissingData;
}

/** An alarm that notifies the stage's topic when it fires and when it recovers. */
export function addAlarm(scope: Construct, id: string, topic: ITopic, spec: AlarmSpec): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: spec.description,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: spec.evaluationPeriods ?? 1,
    treatMissingData: spec.missing ?? TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}

export const FIVE_MINUTES = Duration.minutes(5);

/** A function's errors (an invocation that threw, timed out or ran out of memory) and throttles. */
export function addFunctionAlarms(scope: Construct, id: string, topic: ITopic, fn: LambdaMetrics, handler: string): void {
  addAlarm(scope, `${id}ErrorsAlarm`, topic, {
    description: `${handler} failed invocations (threw, timed out or ran out of memory). Runbook: README, "Alarms": FunctionErrors.`,
    metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: 0,
  });
  addAlarm(scope, `${id}ThrottlesAlarm`, topic, {
    description: `${handler} invocations throttled (no concurrency left). Runbook: README, "Alarms": FunctionThrottles.`,
    metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" }),
    threshold: 0,
  });
}

interface LambdaMetrics {
  metricErrors(props: { period: Duration; statistic: string }): IMetric;
  metricThrottles(props: { period: Duration; statistic: string }): IMetric;
}
