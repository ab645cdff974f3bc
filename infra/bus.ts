import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { MathExpression, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { CfnArchive, EventBus, Rule, Schedule, type EventPattern, type IEventBus } from "aws-cdk-lib/aws-events";
import { LambdaFunction, SqsQueue } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Function, use, type Stack, type StackContext } from "sst/constructs";
import { SOURCE } from "@twofactor/events";
import { outboxSweep, resetTimers, stalledRollouts } from "@twofactor/functions/events/schedule";
import { METRICS, METRICS_SERVICE } from "@twofactor/functions/metric-names";
import { QUEUE_DELIVERY, serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import { addAlarm, addFunctionAlarms, Alarms, FIVE_MINUTES, runbook, SUSTAINED } from "./alarms.js";
import { functionProps, handlerId, metricsNamespace, type Resources } from "./functions.js";
import { Keys } from "./keys.js";
import { DEFAULT_BUS, Mail } from "./mail.js";
import { addOutboxRelay } from "./outbox-relay.js";
import { serviceEnvironment } from "./origin.js";
import { Storage } from "./storage.js";

export const OUTBOX_SWEEP_HANDLER = outboxSweep.handler;

/** EventBridge's retries for putting an event on a consumer's queue, before it goes to the dead-letter queue. */
export const DELIVERY = { retryAttempts: 8, maxEventAge: Duration.hours(6) };

/** What the event source mapping needs to read a queue for its function (and nothing to send). */
export const QUEUE_CONSUMER_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

/** A queue message older than this means its consumer is failing or falling behind. */
export const QUEUE_AGE_ALARM_SECONDS = 300;
/** An event still owed this long after its write means the sweep cannot publish it. */
export const OUTBOX_AGE_ALARM_SECONDS = 300;

/**
 * The bus, its archive (for replay), and per entry of events/subscriptions.ts a consumer behind its
 * own queue (consumerQueue): on this bus for our events, on the account's default bus for an AWS
 * service's (SES's bounces and complaints). The outbox relay on the table's stream, which
 * publishes what the writes owe. Then the scheduled outbox sweep (the relay's backlog), with an
 * alarm on the age of the oldest event still owed.
 */
export function Bus({ stack, app }: StackContext) {
  const { table, config } = use(Storage);
  const { key, branchKeys } = use(Keys);
  const { topic } = use(Alarms);
  const { mail } = use(Mail);

  const bus = new EventBus(stack, "Bus", { eventBusName: app.logicalPrefixedName("bus") });
  const archive = bus.archive("Archive", {
    description: "Every twofactor event, for replay after a consumer fix",
    eventPattern: { source: [SOURCE] },
    retention: Duration.days(config.archiveRetentionDays),
  });
  // aws-cdk-lib writes KmsKeyIdentifier: "" when no key is given, which some regions refuse; the
  // archive is encrypted with an AWS owned key when the property is absent.
  const cfnArchive = archive.node.defaultChild as CfnArchive;
  cfnArchive.addPropertyDeletionOverride("KmsKeyIdentifier");
  // prod keeps the archive (a copy of every event no function can change) even when the stack goes.
  cfnArchive.applyRemovalPolicy(config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  const resources: Resources = { table, key, branchKeys, bus, config, service: serviceEnvironment(config), mail };
  const rules: Rule[] = [];

  // Mail needs a sender: without MAIL_FROM the stage has no notifier, and no feedback about mail to record.
  const mailing = config.service.mailFrom !== undefined;
  for (const subscription of subscriptions.filter((s) => mailing || !s.mails)) {
    rules.push(consumerQueue(stack, resources, topic, subscription, bus, { source: [SOURCE], detailType: [...subscription.detailTypes] }));
  }
  // AWS services publish to the account's default bus; of SES's feedback, only this stage's configuration set's.
  const defaultBus = EventBus.fromEventBusName(stack, "AccountDefaultBus", DEFAULT_BUS);
  for (const subscription of mailing ? serviceSubscriptions : []) {
    rules.push(consumerQueue(stack, resources, topic, subscription, defaultBus, {
      source: [subscription.source],
      detailType: [...subscription.detailTypes],
      detail: { mail: { tags: { "ses:configuration-set": [mail.configurationSetName] } } },
    }));
  }

  addOutboxRelay(stack, resources, topic);

  // Publishes what the relay could not (the backlog); the next run retries, so no DLQ here.
  const sweepId = handlerId(OUTBOX_SWEEP_HANDLER);
  const sweep = new Function(stack, sweepId, functionProps(stack, OUTBOX_SWEEP_HANDLER, resources, {
    memorySize: 512,
    timeout: 60,
  }));
  rules.push(new Rule(stack, "OutboxSweepSchedule", {
    description: "Publishes events that requests wrote to the outbox but did not publish",
    schedule: Schedule.rate(Duration.minutes(outboxSweep.everyMinutes)),
    targets: [new LambdaFunction(sweep, { retryAttempts: 0 })],
  }));
  addFunctionAlarms(stack, sweepId, topic, sweep, OUTBOX_SWEEP_HANDLER);
  // Takes due resets into effect (and says so); the next run retries, so no DLQ here either.
  scheduledFunction(stack, resources, topic, resetTimers, "ResetTimersSchedule", "Takes the resets of members' 2FA whose time has come into effect");
  // Sends a rollout whose continuation was dead-lettered its continuations again; the next run retries.
  scheduledFunction(stack, resources, topic, stalledRollouts, "StalledRolloutsSchedule", "Resumes enforcement rollouts that stopped moving");
  // The sweep reports, every minute, how long the oldest event it could not publish has been owed.
  // No report for 5 minutes (the sweep is failing or not running) is as bad as an old event.
  addAlarm(stack, "OutboxAgeAlarm", topic, {
    description: `An event has been owed for over ${OUTBOX_AGE_ALARM_SECONDS / 60} minutes, or the outbox sweep has not reported. ${runbook("OutboxAge")}`,
    metric: new Metric({
      namespace: metricsNamespace(stack.stage),
      metricName: METRICS.outboxOldestPendingAge,
      dimensionsMap: { service: METRICS_SERVICE },
      period: FIVE_MINUTES,
      statistic: "Maximum",
    }),
    threshold: OUTBOX_AGE_ALARM_SECONDS,
    missing: TreatMissingData.BREACHING,
  });

  addDeliveryAlarms(stack, topic, rules);

  stack.addOutputs({ BusName: bus.eventBusName });
  return { bus };
}

/** A function run on a schedule, with its alarms; no retries and no DLQ: its next run does it again. */
function scheduledFunction(
  stack: Stack, resources: Resources, topic: ITopic | undefined,
  schedule: { handler: string; everyMinutes: number }, ruleId: string, description: string,
): void {
  const id = handlerId(schedule.handler);
  const fn = new Function(stack, id, functionProps(stack, schedule.handler, resources, { memorySize: 512, timeout: 60 }));
  new Rule(stack, ruleId, {
    description,
    schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
    targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
  });
  addFunctionAlarms(stack, id, topic, fn, schedule.handler);
}

/**
 * One consumer: a rule (on `bus`, matching `pattern`) → an SQS queue → the consumer's function
 * (event source mapping reporting batch item failures, with the subscription's batching window if
 * it has one, and at most `paced.maxConcurrency` invocations at once when given), the queue redriving to a dead-letter queue after QUEUE_DELIVERY.maxReceiveCount
 * receives, with alarms on the dead letters, on the oldest message's age, and on the function.
 */
function consumerQueue(
  stack: Stack, resources: Resources, topic: ITopic | undefined,
  subscription: { consumer: string; handler: string; batchingWindowSeconds?: number; paced?: { maxConcurrency: number } },
  bus: IEventBus, pattern: EventPattern,
): Rule {
  const id = handlerId(subscription.handler);
  const consumer = new Function(stack, id, functionProps(stack, subscription.handler, resources, {
    memorySize: 512,
    timeout: QUEUE_DELIVERY.consumerTimeoutSeconds,
  }));
  const deadLetters = new Queue(stack, `${id}DeadLetters`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(QUEUE_DELIVERY.deadLetterRetentionDays),
  });
  const queue = new Queue(stack, `${id}Queue`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(QUEUE_DELIVERY.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(QUEUE_DELIVERY.deadLetterRetentionDays),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: QUEUE_DELIVERY.maxReceiveCount },
  });
  const rule = new Rule(stack, `${id}Rule`, {
    eventBus: bus,
    description: `${subscription.consumer}: ${pattern.detailType!.join(", ")}`.slice(0, 512),
    eventPattern: pattern,
    // An event EventBridge cannot put on the queue lands in the same dead-letter queue, with the same body.
    targets: [new SqsQueue(queue, { deadLetterQueue: deadLetters, ...DELIVERY })],
  });
  consumer.addEventSourceMapping(`${id}Source`, {
    eventSourceArn: queue.queueArn,
    batchSize: QUEUE_DELIVERY.batchSize,
    ...(subscription.batchingWindowSeconds ? { maxBatchingWindow: Duration.seconds(subscription.batchingWindowSeconds) } : {}),
    reportBatchItemFailures: true,
    ...(subscription.paced ? { maxConcurrency: subscription.paced.maxConcurrency } : {}),
  });
  consumer.attachPermissions([new PolicyStatement({ actions: QUEUE_CONSUMER_ACTIONS, resources: [queue.queueArn] })]);

  addAlarm(stack, `${id}DeadLettersAlarm`, topic, {
    description: `Events the ${subscription.consumer} consumer gave up on (or EventBridge could not queue). ${runbook("DeadLetters")}`,
    metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: "Maximum" }),
    threshold: 0,
  });
  addAlarm(stack, `${id}QueueAgeAlarm`, topic, {
    description: `An event has waited over ${QUEUE_AGE_ALARM_SECONDS / 60} minutes for the ${subscription.consumer} consumer. ${runbook("QueueAge")}`,
    metric: queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: "Maximum" }),
    threshold: QUEUE_AGE_ALARM_SECONDS,
  });
  addFunctionAlarms(stack, id, topic, consumer, subscription.handler);
  return rule;
}

/**
 * EventBridge's own failures, summed over the rules: targets it could not invoke (after its retries:
 * those events are in a dead-letter queue), rules it throttled, and (events lost) invocations it
 * could not even send to the dead-letter queue.
 */
function addDeliveryAlarms(stack: Stack, topic: ITopic | undefined, rules: Rule[]): void {
  const sum = (metricName: string, label: string) => {
    const usingMetrics = Object.fromEntries(rules.map((rule, i) => [`r${i}`, new Metric({
      namespace: "AWS/Events", metricName, dimensionsMap: { RuleName: rule.ruleName }, period: FIVE_MINUTES, statistic: "Sum",
    })]));
    return new MathExpression({ expression: Object.keys(usingMetrics).join(" + "), usingMetrics, period: FIVE_MINUTES, label });
  };
  addAlarm(stack, "EventDeliveryFailuresAlarm", topic, {
    description: `EventBridge failed to deliver events to a consumer's queue or the sweep, in 3 of the last 5 periods of 5 minutes. ${runbook("EventDelivery")}`,
    metric: sum("FailedInvocations", "failed invocations"),
    threshold: 0,
    ...SUSTAINED,
  });
  addAlarm(stack, "EventDeliveryThrottledAlarm", topic, {
    description: `EventBridge throttled the bus's rules in 3 of the last 5 periods of 5 minutes. ${runbook("EventDelivery")}`,
    metric: sum("ThrottledRules", "throttled rules"),
    threshold: 0,
    ...SUSTAINED,
  });
  addAlarm(stack, "EventsLostAlarm", topic, {
    description: `EventBridge could neither deliver events nor put them in a dead-letter queue: they are lost (replay them from the archive). ${runbook("EventsLost")}`,
    metric: sum("InvocationsFailedToBeSentToDlq", "events lost"),
    threshold: 0,
  });
}
