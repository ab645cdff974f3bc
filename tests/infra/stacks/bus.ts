import { describe, expect, it } from "vitest";
import { SOURCE } from "@twofactor/events";
import { BATCHING_WINDOW_SECONDS, QUEUE_DELIVERY, serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import { resetTimers, schedules, stalledRollouts } from "@twofactor/functions/events/schedule";
import { METRICS } from "@twofactor/functions/metric-names";
import { outboxRelay } from "@twofactor/functions/events/stream";
import { OWED_ATTRIBUTE } from "@twofactor/aws";
import { DELIVERY, OUTBOX_AGE_ALARM_SECONDS, OUTBOX_SWEEP_HANDLER, QUEUE_AGE_ALARM_SECONDS } from "../../../infra/bus.js";
import { stageConfig } from "../../../infra/stages.js";
import { refId, resources } from "../template.js";
import { main, STAGE, TEST_ENV } from "./synths.js";

export function describeBus(): void {
describe("bus", () => {
  it("has a bus and an archive of every twofactor event, without the empty KmsKeyIdentifier", () => {
    main("Bus").resourceCountIs("AWS::Events::EventBus", 1);
    const [archive] = Object.values(resources(main("Bus"), "AWS::Events::Archive"));
    expect(archive!.Properties).toMatchObject({ EventPattern: { source: [SOURCE] }, RetentionDays: stageConfig(STAGE, TEST_ENV).archiveRetentionDays });
    expect(archive!.Properties).not.toHaveProperty("KmsKeyIdentifier");
  });

  it("puts, per subscription, a rule → an encrypted queue → the consumer, reporting batch item failures, batching where nobody waits", () => {
    const rules = Object.values(resources(main("Bus"), "AWS::Events::Rule"));
    const queues = resources(main("Bus"), "AWS::SQS::Queue");
    const mappings = Object.values(resources(main("Bus"), "AWS::Lambda::EventSourceMapping"));
    const fns = resources(main("Bus"), "AWS::Lambda::Function");
    expect(subscriptions.length).toBeGreaterThan(1);
    for (const subscription of subscriptions) {
      const rule = rules.find((r) => JSON.stringify((r.Properties.EventPattern as { "detail-type"?: string[] })?.["detail-type"]) ===
        JSON.stringify([...subscription.detailTypes]) && r.Properties.Description?.toString().startsWith(subscription.consumer));
      expect(rule, subscription.consumer).toBeDefined();
      expect(rule!.Properties.EventBusName).toEqual({ Ref: expect.any(String) });
      expect(rule!.Properties.EventPattern).toEqual({ source: [SOURCE], "detail-type": [...subscription.detailTypes] });
      const [target] = rule!.Properties.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown }; RetryPolicy: unknown }[];
      const queueId = refId(target!.Arn)!;
      const queue = queues[queueId]!;
      const deadLetterId = refId(target!.DeadLetterConfig.Arn)!;
      expect(target!.RetryPolicy).toEqual({ MaximumRetryAttempts: DELIVERY.retryAttempts, MaximumEventAgeInSeconds: DELIVERY.maxEventAge.toSeconds() });
      // The queue redrives to the same dead-letter queue after a few receives.
      expect(queue.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: QUEUE_DELIVERY.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [deadLetterId, "Arn"] }, maxReceiveCount: QUEUE_DELIVERY.maxReceiveCount },
      });
      expect(queues[deadLetterId]!.Properties.SqsManagedSseEnabled).toBe(true);
      const mapping = mappings.find((m) => refId(m.Properties.EventSourceArn) === queueId);
      expect(mapping, `event source mapping of ${subscription.consumer}`).toBeDefined();
      expect(mapping!.Properties).toMatchObject({ BatchSize: QUEUE_DELIVERY.batchSize, FunctionResponseTypes: ["ReportBatchItemFailures"] });
      expect(mapping!.Properties.MaximumBatchingWindowInSeconds, subscription.consumer).toBe(subscription.batchingWindowSeconds);
      expect(mapping!.Properties.ScalingConfig, subscription.consumer)
        .toEqual(subscription.paced ? { MaximumConcurrency: subscription.paced.maxConcurrency } : undefined);
      const fn = fns[refId(mapping!.Properties.FunctionName)!]!;
      expect(fn.Properties.Handler).toBe(subscription.handler);
      // A batch's messages stay in flight while it waits to fill, then while the function runs.
      expect(fn.Properties.Timeout! as number * 6 + (subscription.batchingWindowSeconds ?? 0)).toBeLessThanOrEqual(QUEUE_DELIVERY.visibilityTimeoutSeconds);

      const onQueue = (id: string, metric: string) => Object.values(resources(main("Bus"), "AWS::CloudWatch::Alarm"))
        .find((a) => a.Properties.MetricName === metric && refId((a.Properties.Dimensions as { Value: unknown }[])[0]!.Value) === id);
      expect(onQueue(deadLetterId, "ApproximateNumberOfMessagesVisible")?.Properties, `DLQ alarm of ${subscription.consumer}`)
        .toMatchObject({ Namespace: "AWS/SQS", ComparisonOperator: "GreaterThanThreshold", Threshold: 0 });
      expect(onQueue(queueId, "ApproximateAgeOfOldestMessage")?.Properties, `age alarm of ${subscription.consumer}`)
        .toMatchObject({ Namespace: "AWS/SQS", ComparisonOperator: "GreaterThanThreshold", Threshold: QUEUE_AGE_ALARM_SECONDS });
    }
    // The consumers nobody waits on batch; the ones that end a trust or finish what a user sees, and the fan-out, do not.
    const windowed = (consumer: string) => mappings.find((m) => fns[refId(m.Properties.FunctionName)!]?.Properties.Handler ===
      subscriptions.find((s) => s.consumer === consumer)!.handler)!.Properties.MaximumBatchingWindowInSeconds;
    expect(windowed("audit-log")).toBe(BATCHING_WINDOW_SECONDS);
    for (const consumer of ["forget-devices", "team-membership", "team-enforcement", "notifier"]) expect(windowed(consumer), consumer).toBeUndefined();
    // And the outbox relay's: its dead-letter queue, and its mapping on the table's stream; and one more
    // queue pair and mapping per consumer of an AWS service's events (tests/infra/stacks/mail.ts).
    expect(Object.keys(queues)).toHaveLength(2 * (subscriptions.length + serviceSubscriptions.length) + 1);
    expect(mappings).toHaveLength(subscriptions.length + serviceSubscriptions.length + 1);
    // No consumer is a rule's direct target any more: an invocation that throws would be dropped after two retries.
    // Only the scheduled functions are (their next run retries).
    for (const rule of rules) {
      for (const target of rule.Properties.Targets as { Arn: unknown }[]) {
        if (fns[refId(target.Arn)!]) expect(schedules.map((s) => s.handler)).toContain(fns[refId(target.Arn)!]!.Properties.Handler);
      }
    }
  });

  it("relays what the table's writes owe from its stream: only writes that owe events, in batches, split when one fails, dead-lettered at last", () => {
    const mappings = Object.values(resources(main("Bus"), "AWS::Lambda::EventSourceMapping"));
    const fns = resources(main("Bus"), "AWS::Lambda::Function");
    const relay = mappings.find((m) => fns[refId(m.Properties.FunctionName)!]?.Properties.Handler === outboxRelay.handler);
    expect(relay?.Properties).toMatchObject({
      StartingPosition: "TRIM_HORIZON", BatchSize: outboxRelay.batchSize, MaximumBatchingWindowInSeconds: outboxRelay.maxBatchingWindowSeconds,
      BisectBatchOnFunctionError: true, MaximumRetryAttempts: outboxRelay.retryAttempts,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { [OWED_ATTRIBUTE]: { S: [{ exists: true }] } } } }) }] },
    });
    expect(JSON.stringify(relay!.Properties.EventSourceArn)).toMatch(/StreamArn/);
    expect(JSON.stringify(relay!.Properties.DestinationConfig)).toMatch(/DeadLetters/);
    const [table] = Object.values(resources(main("Storage"), "AWS::DynamoDB::Table"));
    expect(table!.Properties.StreamSpecification).toEqual({ StreamViewType: "NEW_AND_OLD_IMAGES" });
  });

  it("runs the outbox sweep, the reset timers and the stalled-rollout sweep on a schedule, and alarms when an event stays owed (or the sweep stops reporting)", () => {
    const fns = resources(main("Bus"), "AWS::Lambda::Function");
    const scheduled = Object.values(resources(main("Bus"), "AWS::Events::Rule")).filter((r) => r.Properties.ScheduleExpression);
    expect(scheduled).toHaveLength(schedules.length);
    const handlers = scheduled.map((rule) => {
      const [target] = rule.Properties.Targets as { Arn: unknown }[];
      const handler = fns[refId(target!.Arn)!]!.Properties.Handler as string;
      expect(rule.Properties.ScheduleExpression).toBe(handler === stalledRollouts.handler ? "rate(5 minutes)" : "rate(1 minute)");
      return handler;
    });
    expect(handlers.sort()).toEqual([OUTBOX_SWEEP_HANDLER, resetTimers.handler, stalledRollouts.handler].sort());
    const alarm = Object.values(resources(main("Bus"), "AWS::CloudWatch::Alarm")).find((a) => a.Properties.MetricName === METRICS.outboxOldestPendingAge);
    expect(alarm?.Properties).toMatchObject({
      Namespace: `twofactor/${STAGE}`, Threshold: OUTBOX_AGE_ALARM_SECONDS, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "breaching",
      Dimensions: [{ Name: "service", Value: "twofactor" }],
    });
  });
});
}
