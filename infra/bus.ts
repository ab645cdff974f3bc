import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { EventBus, Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import { Function, use, type StackContext } from "sst/constructs";
import { SOURCE } from "@twofactor/events";
import { subscriptions } from "@twofactor/events/subscriptions";
import { functionProps, handlerId } from "./functions.js";
import { Keys } from "./keys.js";
import { DEAD_LETTER_SUPPRESSIONS } from "./nag.js";
import { Storage } from "./storage.js";

export const OUTBOX_SWEEP_HANDLER = "functions/events/outbox-sweep.handler";

/** EventBridge delivers asynchronously: these are its retries before an event is dead-lettered. */
export const DELIVERY = { retryAttempts: 8, maxEventAge: Duration.hours(6) };

/**
 * The bus, its archive (for replay), one rule per entry of events/subscriptions.ts with a
 * dead-letter queue and an alarm on it, and the scheduled outbox sweep.
 */
export function Bus({ stack, app }: StackContext) {
  const { table, config } = use(Storage);
  const { key } = use(Keys);

  const bus = new EventBus(stack, "Bus", { eventBusName: app.logicalPrefixedName("bus") });
  bus.archive("Archive", {
    description: "Every twofactor event, for replay after a consumer fix",
    eventPattern: { source: [SOURCE] },
    retention: Duration.days(config.archiveRetentionDays),
  });
  const resources = { table, key, bus, config };

  for (const subscription of subscriptions) {
    const id = handlerId(subscription.handler);
    const consumer = new Function(stack, id, functionProps(stack, subscription.handler, resources, { memorySize: 512, timeout: 30 }));
    const deadLetters = new Queue(stack, `${id}DeadLetters`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(deadLetters, DEAD_LETTER_SUPPRESSIONS);
    new Rule(stack, `${id}Rule`, {
      eventBus: bus,
      description: `${subscription.consumer}: ${subscription.detailTypes.join(", ")}`,
      eventPattern: { source: [SOURCE], detailType: [...subscription.detailTypes] },
      targets: [new LambdaFunction(consumer, { deadLetterQueue: deadLetters, ...DELIVERY })],
    });
    new Alarm(stack, `${id}DeadLettersAlarm`, {
      alarmDescription: `Events the ${subscription.consumer} consumer could not take: see the queue, fix, then redrive.`,
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  // Publishes what a crashed or failed request still owes; the next run retries, so no DLQ here.
  const sweep = new Function(stack, handlerId(OUTBOX_SWEEP_HANDLER), functionProps(stack, OUTBOX_SWEEP_HANDLER, resources, {
    memorySize: 512,
    timeout: 60,
  }));
  new Rule(stack, "OutboxSweepSchedule", {
    description: "Publishes events that requests wrote to the outbox but did not publish",
    schedule: Schedule.rate(Duration.minutes(1)),
    targets: [new LambdaFunction(sweep, { retryAttempts: 0 })],
  });

  stack.addOutputs({ BusName: bus.eventBusName });
  return { bus };
}
