import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { QUEUE_DELIVERY, serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import { MAIL_BOUNCE_RATE_ALARM, MAIL_COMPLAINT_RATE_ALARM } from "../../../infra/mail.js";
import { actionsOf, functionsByHandler, refId, resources, statementsOfFunction } from "../template.js";
import { functionTemplates } from "./functions.js";
import { MAIL_FROM, main, prod, quiet, STAGE } from "./synths.js";

const CONFIGURATION_SET = `${STAGE}-twofactor-mail`;

export function describeMail(): void {
  describe("mail", () => {
    it("has a configuration set that requires TLS and sends its bounces and complaints to the account's default bus", () => {
      const [set] = Object.values(resources(main("Mail"), "AWS::SES::ConfigurationSet"));
      expect(set!.Properties).toMatchObject({
        Name: CONFIGURATION_SET,
        DeliveryOptions: { TlsPolicy: "REQUIRE" },
        SuppressionOptions: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
      const [destination] = Object.values(resources(main("Mail"), "AWS::SES::ConfigurationSetEventDestination"));
      const target = destination!.Properties.EventDestination as { MatchingEventTypes: string[]; EventBridgeDestination: { EventBusArn: unknown } };
      expect(target.MatchingEventTypes.sort()).toEqual(["bounce", "complaint"]);
      expect(JSON.stringify(target.EventBridgeDestination.EventBusArn)).toContain("event-bus/default");
    });

    it("verifies MAIL_FROM's domain with Easy DKIM and prints the records to publish; a stage without MAIL_FROM has no identity", () => {
      main("Mail").hasResourceProperties("AWS::SES::EmailIdentity", {
        EmailIdentity: "mail.example.com",
        ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
      });
      expect(Object.keys(main("Mail").toJSON().Outputs).filter((name) => name.startsWith("MailDkim")).sort()).toEqual(["MailDkim1", "MailDkim2", "MailDkim3"]);
      prod("Mail").hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: "example.com" });
      quiet("Mail").resourceCountIs("AWS::SES::EmailIdentity", 0);
    });

    it("has no notifier and no mail-feedback consumer on a stage without MAIL_FROM, whose mails SES would refuse", () => {
      const mailing = [...subscriptions.filter((s) => s.mails), ...serviceSubscriptions].map((s) => s.consumer);
      expect(mailing.sort()).toEqual(["mail-feedback", "notifier"]);
      const consumersOf = (bus: Template) => Object.values(resources(bus, "AWS::Events::Rule"))
        .map((rule) => String(rule.Properties.Description).split(":")[0]!);
      for (const consumer of mailing) {
        expect(consumersOf(main("Bus")), consumer).toContain(consumer);
        expect(consumersOf(quiet("Bus")), consumer).not.toContain(consumer);
      }
      // The other consumers and the outbox relay read their sources there as anywhere.
      quiet("Bus").resourceCountIs("AWS::Lambda::EventSourceMapping", subscriptions.filter((s) => !s.mails).length + 1);
    });

    it("routes this configuration set's bounces and complaints from the default bus to the mail-feedback consumer's queue", () => {
      const queues = resources(main("Bus"), "AWS::SQS::Queue");
      const mappings = Object.values(resources(main("Bus"), "AWS::Lambda::EventSourceMapping"));
      const fns = resources(main("Bus"), "AWS::Lambda::Function");
      expect(serviceSubscriptions.length).toBeGreaterThan(0);
      for (const subscription of serviceSubscriptions) {
        const rule = Object.values(resources(main("Bus"), "AWS::Events::Rule")).find((r) => String(r.Properties.Description).startsWith(subscription.consumer))!;
        expect(rule.Properties.EventBusName).toBe("default");
        expect(rule.Properties.EventPattern).toEqual({
          source: [subscription.source],
          "detail-type": [...subscription.detailTypes],
          detail: { mail: { tags: { "ses:configuration-set": [CONFIGURATION_SET] } } },
        });
        const [target] = rule.Properties.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown } }[];
        const queueId = refId(target!.Arn)!;
        expect(queues[queueId]!.Properties).toMatchObject({ RedrivePolicy: { maxReceiveCount: QUEUE_DELIVERY.maxReceiveCount } });
        const mapping = mappings.find((m) => refId(m.Properties.EventSourceArn) === queueId)!;
        expect(fns[refId(mapping.Properties.FunctionName)!]!.Properties.Handler).toBe(subscription.handler);
      }
    });

    it("lets the notifier alone send, as the identity and through the configuration set, which it is told", () => {
      const senders = functionTemplates().flatMap((template) => [...functionsByHandler(template)].flatMap(([handler, { fn }]) =>
        statementsOfFunction(template, fn).filter((statement) => actionsOf(statement).some((action) => action.startsWith("ses:")))
          .map((statement) => ({ handler, actions: actionsOf(statement), resources: JSON.stringify(statement.Resource), fn }))));
      expect(senders.map(({ handler, actions }) => ({ handler, actions }))).toEqual([{ handler: "functions/events/notifier.handler", actions: ["ses:SendEmail"] }]);
      expect(senders[0]!.resources).toContain(":identity/mail.example.com");
      expect(senders[0]!.resources).toContain(`:configuration-set/${CONFIGURATION_SET}`);
      const env = (senders[0]!.fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({ MAIL_FROM, MAIL_CONFIGURATION_SET: CONFIGURATION_SET });
      // Only the sender is told the configuration set; every function knows the sender's name (the policy is one).
      for (const template of functionTemplates()) {
        for (const [handler, { fn }] of functionsByHandler(template)) {
          const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
          expect(variables.MAIL_CONFIGURATION_SET !== undefined, handler).toBe(handler === "functions/events/notifier.handler");
        }
      }
    });

    it("alarms on SES's bounce and complaint rates for the configuration set, sustained over two readings", () => {
      const alarms = Object.values(resources(main("Mail"), "AWS::CloudWatch::Alarm"));
      expect(alarms.map((alarm) => [alarm.Properties.MetricName, alarm.Properties.Threshold]).sort()).toEqual([
        ["Reputation.BounceRate", MAIL_BOUNCE_RATE_ALARM],
        ["Reputation.ComplaintRate", MAIL_COMPLAINT_RATE_ALARM],
      ]);
      for (const alarm of alarms) {
        expect(alarm.Properties).toMatchObject({
          Namespace: "AWS/SES", Dimensions: [{ Name: "ses:configuration-set", Value: CONFIGURATION_SET }], EvaluationPeriods: 2, DatapointsToAlarm: 2,
        });
      }
      quiet("Mail").resourceCountIs("AWS::CloudWatch::Alarm", 0);
    });
  });
}
