import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import { API_429_METRIC } from "../../../infra/api-stage.js";
import { KEY_SERVICE_FAILURES_METRIC, RUNBOOK } from "../../../infra/alarms.js";
import { keyUsers } from "../../../infra/permissions.js";
import { KEY_SERVICE_FAILURE_LOG } from "../../../infra/routes.js";
import { functionsByHandler, refId, resources, type Resource } from "../template.js";
import { main, prod, quiet, STACKS } from "./synths.js";

type Query = { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: unknown }[] } } };
const alarmsOf = (template: (id: string) => ReturnType<typeof main>) =>
  STACKS.flatMap((stack) => Object.entries(resources(template(stack), "AWS::CloudWatch::Alarm")).map(([id, alarm]) => ({ id, stack, alarm })));
const metricNames = (alarm: Resource) => [
  alarm.Properties.MetricName as string | undefined,
  ...((alarm.Properties.Metrics as Query[] | undefined) ?? []).map((q) => q.MetricStat?.Metric.MetricName),
].filter(Boolean);
const named = (id: string) => alarmsOf(main).find((a) => a.id.startsWith(id))?.alarm;

export function describeAlarms(): void {
  describe("alarms", () => {
    it("go to one topic, on alarm and on recovery, which ALARM_EMAIL and the other subscribers are subscribed to", () => {
      const topics = resources(main("Alarms"), "AWS::SNS::Topic");
      expect(Object.keys(topics)).toHaveLength(1);
      const subscribers = Object.values(resources(main("Alarms"), "AWS::SNS::Subscription")).map((s) => `${s.Properties.Protocol} ${s.Properties.Endpoint}`);
      expect(subscribers.sort()).toEqual(["email oncall@example.com", "https https://pager.example.com/hooks/twofactor"]);
      expect(alarmsOf(main).length).toBeGreaterThan(0);
      for (const { alarm } of alarmsOf(main)) {
        const actions = alarm.Properties.AlarmActions as unknown[];
        expect(actions, String(alarm.Properties.AlarmDescription)).toHaveLength(1);
        expect(JSON.stringify(actions[0])).toMatch(/AlarmTopic/);
        expect(alarm.Properties.OKActions).toEqual(actions);
      }
    });

    it("each name a runbook section that docs/deploying.md has", () => {
      const doc = readFileSync(new URL(`../../../${RUNBOOK}`, import.meta.url), "utf8");
      const headings = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim()));
      for (const { id, alarm } of alarmsOf(main)) {
        const section = String(alarm.Properties.AlarmDescription).match(/Runbook: docs\/deploying\.md, "(\w+)"\./)?.[1];
        expect(section, id).toBeDefined();
        expect(headings.has(section!), `${id}: no heading "${section}" in ${RUNBOOK}`).toBe(true);
      }
    });

    it("watch what the issue asked for: 429s, WAF blocks, DynamoDB throttles, EventBridge failures, the key service, dead letters, the outbox", () => {
      expect(metricNames(named("Api429RateAlarm")!)).toEqual([API_429_METRIC, "Count"]);
      expect(named("WafBlockedRequestsAlarm")!.Properties).toMatchObject({ Namespace: "AWS/WAFV2", MetricName: "BlockedRequests" });
      expect(metricNames(named("DynamoDbThrottlesAlarm")!).sort()).toEqual(["ReadThrottleEvents", "ReadThrottleEvents", "WriteThrottleEvents", "WriteThrottleEvents"]);
      expect(new Set(metricNames(named("EventDeliveryFailuresAlarm")!))).toEqual(new Set(["FailedInvocations"]));
      expect(new Set(metricNames(named("EventDeliveryThrottledAlarm")!))).toEqual(new Set(["ThrottledRules"]));
      expect(named("KeyServiceFailuresAlarm")!.Properties).toMatchObject({ MetricName: KEY_SERVICE_FAILURES_METRIC, Namespace: "twofactor/test" });
      expect(metricNames(named("Api5xxRateAlarm")!).sort()).toEqual(["5xx", "Count"]);
      expect(named("Edge5xxRateAlarm")!.Properties).toMatchObject({ Namespace: "AWS/CloudFront", MetricName: "5xxErrorRate" });
      expect(named("LambdaThrottlesAlarm")!.Properties).toMatchObject({ Namespace: "AWS/Lambda", MetricName: "Throttles" });
      const deadLetters = alarmsOf(main).filter(({ alarm }) => alarm.Properties.MetricName === "ApproximateNumberOfMessagesVisible");
      expect(deadLetters).toHaveLength(subscriptions.length + serviceSubscriptions.length + 1); // and the outbox relay's
      expect(alarmsOf(main).filter(({ id }) => id.startsWith("OutboxAgeAlarm"))).toHaveLength(1);
    });

    it("count the key service's failures from the vault functions' logs, by the line they write", () => {
      const filters = ["ApiAccounts", "ApiMe", "ApiTeams"].flatMap((stack) => Object.values(resources(main(stack), "AWS::Logs::MetricFilter"))
        .filter((f) => JSON.stringify(f.Properties.MetricTransformations).includes(KEY_SERVICE_FAILURES_METRIC)));
      expect(filters).toHaveLength(keyUsers("kms:Decrypt@branch-keys").length);
      for (const filter of filters) {
        expect(filter.Properties.FilterPattern).toBe(`{ ($.message = "${KEY_SERVICE_FAILURE_LOG.message}") && ($.error.message = "${KEY_SERVICE_FAILURE_LOG["error.message"]}") }`);
      }
    });

    it("fire on rates sustained over several periods, not on one failed invocation", () => {
      for (const [handler, { id: fnId }] of ["ApiAccounts", "ApiMe", "ApiTeams", "Bus"].flatMap((stack) => [...functionsByHandler(main(stack))])) {
        const onFunction = alarmsOf(main).filter(({ alarm }) => JSON.stringify(alarm.Properties.Metrics ?? alarm.Properties.Dimensions ?? "").includes(`"${fnId}"`));
        expect(onFunction.map(({ alarm }) => metricNames(alarm).sort()), handler).toEqual([["Errors", "Invocations"]]);
        const alarm = onFunction[0]!.alarm;
        expect((alarm.Properties.Metrics as Query[]).find((q) => q.Expression)!.Expression).toMatch(/^IF\(invocations >= \d+, 100 \* errors \/ invocations, 0\)$/);
        expect(alarm.Properties).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 3, ComparisonOperator: "GreaterThanThreshold" });
      }
      // Only what is lost or waiting fires at once: a dead letter, an event EventBridge could not even dead-letter.
      const immediate = alarmsOf(main).filter(({ alarm }) => (alarm.Properties.DatapointsToAlarm ?? alarm.Properties.EvaluationPeriods) === 1).map(({ id }) => id);
      for (const id of immediate) expect(id).toMatch(/DeadLettersAlarm|EventsLostAlarm|QueueAgeAlarm|OutboxAgeAlarm/);
    });

    it("exist on a developer's stage only when someone is named to hear them; so does the dashboard, on prod and with DASHBOARD=on", () => {
      expect(alarmsOf(quiet)).toEqual([]);
      expect(Object.keys(resources(quiet("Alarms"), "AWS::SNS::Topic"))).toEqual([]);
      const dashboards = (template: typeof main) => STACKS.flatMap((stack) => Object.values(resources(template(stack), "AWS::CloudWatch::Dashboard")));
      expect(dashboards(quiet)).toHaveLength(0);
      expect(quiet("Dashboard").toJSON().Outputs ?? {}).not.toHaveProperty("DashboardName");
      for (const template of [main, prod]) expect(dashboards(template)).toHaveLength(1);
    });

    it("on prod, reach ALARM_EMAIL, and every alarm kind is there", () => {
      const subscribers = Object.values(resources(prod("Alarms"), "AWS::SNS::Subscription")).map((s) => `${s.Properties.Protocol} ${s.Properties.Endpoint}`);
      expect(subscribers).toEqual(["email oncall@example.com"]);
      expect(alarmsOf(prod).map(({ id }) => id).sort()).toEqual(alarmsOf(main).map(({ id }) => id).sort());
    });

    it("are laid out on one dashboard per stage, the edge's figures taken from us-east-1", () => {
      const [dashboard] = Object.values(resources(main("Dashboard"), "AWS::CloudWatch::Dashboard"));
      const body = JSON.stringify(dashboard!.Properties.DashboardBody);
      for (const text of ["BlockedRequests", "5xxErrorRate", "Errors", "ThrottleEvents", "OutboxOldestPendingAge", "ApproximateAgeOfOldestMessage"]) expect(body).toContain(text);
      expect(body).toContain('\\"region\\":\\"us-east-1\\"');
      expect(refId(dashboard!.Properties.DashboardName)).toBeUndefined();
    });
  });
}
