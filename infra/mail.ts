import { Duration } from "aws-cdk-lib";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import { EventBus } from "aws-cdk-lib/aws-events";
import {
  ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, EmailSendingEvent, EventDestination, Identity, SuppressionReasons,
} from "aws-cdk-lib/aws-ses";
import { use, type StackContext } from "sst/constructs";
import { DEFAULT_POLICY } from "@twofactor/core";
import { addAlarm, Alarms, runbook } from "./alarms.js";
import { mailDomainOf } from "./stages.js";
import { Storage } from "./storage.js";

/** What the notifier sends through: the configuration set every mail names, and the identity it sends as. */
export interface MailResources {
  configurationSetName: string;
  configurationSetArn: string;
  /** The SES identity of MAIL_FROM's domain (the one `ses:SendEmail` is granted on). */
  identityArn: string;
}

/** SES's events arrive on the account's default bus only: that is where the feedback consumer's rule sits. */
export const DEFAULT_BUS = "default";

/**
 * SES's reputation figures for the configuration set, as fractions, past which the alarms fire: AWS
 * reviews an account from a 5% bounce rate or a 0.1% complaint rate, and may pause its sending at
 * about twice those.
 */
export const MAIL_BOUNCE_RATE_ALARM = 0.05;
export const MAIL_COMPLAINT_RATE_ALARM = 0.001;
const REPUTATION_PERIOD = Duration.minutes(15);

/**
 * Amazon SES for the security mails: a configuration set (TLS required; SES's own suppression of
 * addresses that bounced or complained; reputation metrics) whose bounces and complaints go to the
 * default event bus, where the mail-feedback consumer records them; and, when the stage names
 * MAIL_FROM, the domain identity it sends from, signed with Easy DKIM (the three CNAME records to
 * publish are stack outputs). Without MAIL_FROM (a disposable stage) there is no identity, and the
 * Bus stack makes no notifier. Alarms on the set's bounce and complaint rates.
 */
export function Mail({ stack, app }: StackContext) {
  const { config } = use(Storage);
  const { topic } = use(Alarms);
  // Named, and referred to by that name elsewhere: a reference to the construct would export it from this stack.
  const configurationSetName = app.logicalPrefixedName("mail");
  const configurationSet = new ConfigurationSet(stack, "MailConfigurationSet", {
    configurationSetName,
    tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    reputationMetrics: true,
    sendingEnabled: true,
  });
  configurationSet.addEventDestination("FeedbackToBus", {
    destination: EventDestination.eventBus(EventBus.fromEventBusName(stack, "DefaultBus", DEFAULT_BUS)),
    events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
  });
  const domain = mailDomainOf(config.service.mailFrom ?? DEFAULT_POLICY.mailFrom)!;
  if (config.service.mailFrom) {
    const identity = new EmailIdentity(stack, "MailIdentity", { identity: Identity.domain(domain), configurationSet });
    stack.addOutputs({
      MailDkim1: `${identity.dkimDnsTokenName1} CNAME ${identity.dkimDnsTokenValue1}`,
      MailDkim2: `${identity.dkimDnsTokenName2} CNAME ${identity.dkimDnsTokenValue2}`,
      MailDkim3: `${identity.dkimDnsTokenName3} CNAME ${identity.dkimDnsTokenValue3}`,
    });
  }

  const reputation = (metricName: string) => new Metric({
    namespace: "AWS/SES", metricName, dimensionsMap: { "ses:configuration-set": configurationSetName }, period: REPUTATION_PERIOD, statistic: "Maximum",
  });
  // Sustained over two readings: SES recomputes the rates over a window of recent mails, not per mail.
  addAlarm(stack, "MailBounceRateAlarm", topic, {
    description: `Over ${MAIL_BOUNCE_RATE_ALARM * 100}% of the security mails bounced, in 2 readings of 15 minutes in a row. ${runbook("MailBounceRate")}`,
    metric: reputation("Reputation.BounceRate"),
    threshold: MAIL_BOUNCE_RATE_ALARM,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
  });
  addAlarm(stack, "MailComplaintRateAlarm", topic, {
    description: `Over ${MAIL_COMPLAINT_RATE_ALARM * 100}% of the security mails were marked as spam, in 2 readings of 15 minutes in a row. ` +
      runbook("MailComplaintRate"),
    metric: reputation("Reputation.ComplaintRate"),
    threshold: MAIL_COMPLAINT_RATE_ALARM,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
  });

  const mail: MailResources = {
    configurationSetName,
    configurationSetArn: stack.formatArn({ service: "ses", resource: "configuration-set", resourceName: configurationSetName }),
    identityArn: stack.formatArn({ service: "ses", resource: "identity", resourceName: domain }),
  };
  stack.addOutputs({ MailConfigurationSet: configurationSetName });
  return { mail };
}
