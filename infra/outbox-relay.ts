import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { EventSourceMapping, FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Function, type Stack } from "sst/constructs";
import { OWED_ATTRIBUTE } from "@twofactor/aws";
import { QUEUE_DELIVERY } from "@twofactor/events/subscriptions";
import { outboxRelay } from "@twofactor/functions/events/stream";
import { NagSuppressions } from "cdk-nag";
import { addAlarm, addFunctionAlarms, FIVE_MINUTES, runbook } from "./alarms.js";
import { RELAY_DEAD_LETTERS_SUPPRESSIONS } from "./nag.js";
import { functionProps, handlerId, type Resources } from "./functions.js";

/** What the relay's event source mapping needs to read the table's stream (and nothing to write). */
export const STREAM_CONSUMER_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];
/** What it needs to put a failed batch's place in the stream on its dead-letter queue (SqsDlq's grant). */
export const STREAM_FAILURE_ACTIONS = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"];

/**
 * The outbox relay: the table's stream → EventBridge (functions/events/stream.ts says how it
 * batches). Its event source mapping lets through only writes whose new image owes events, so
 * the other writes of the table invoke nothing; a batch that keeps failing is split to isolate the
 * record at fault, and after the last try its place in the stream goes to a dead-letter queue,
 * which alarms (the stream keeps a record 24 hours: time to fix and replay it).
 */
export function addOutboxRelay(stack: Stack, resources: Resources, topic: ITopic | undefined): void {
  const table: ITable = resources.table;
  if (!table.tableStreamArn) throw new Error("the table has no stream: the outbox relay reads it");
  const id = handlerId(outboxRelay.handler);
  const relay = new Function(stack, id, functionProps(stack, outboxRelay.handler, resources, { memorySize: 512, timeout: 60 }));
  const deadLetters = new Queue(stack, `${id}DeadLetters`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(QUEUE_DELIVERY.deadLetterRetentionDays),
  });
  NagSuppressions.addResourceSuppressions(deadLetters, RELAY_DEAD_LETTERS_SUPPRESSIONS);
  // A mapping of its own rather than DynamoEventSource, whose grant adds ListStreams on every table.
  new EventSourceMapping(stack, `${id}Source`, {
    target: relay,
    eventSourceArn: table.tableStreamArn,
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: outboxRelay.batchSize,
    maxBatchingWindow: Duration.seconds(outboxRelay.maxBatchingWindowSeconds),
    bisectBatchOnError: true,
    retryAttempts: outboxRelay.retryAttempts,
    onFailure: new SqsDlq(deadLetters),
    filters: [FilterCriteria.filter({ dynamodb: { NewImage: { [OWED_ATTRIBUTE]: { S: FilterRule.exists() } } } })],
  });
  relay.attachPermissions([new PolicyStatement({ actions: STREAM_CONSUMER_ACTIONS, resources: [table.tableStreamArn] })]);
  addAlarm(stack, `${id}DeadLettersAlarm`, topic, {
    description: `The outbox relay gave up on a batch of the table's stream: events owed by those writes are not published yet. ${runbook("RelayDeadLetters")}`,
    metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: "Maximum" }),
    threshold: 0,
  });
  addFunctionAlarms(stack, id, topic, relay, outboxRelay.handler);
}
