import { DETAIL_TYPES, type DetailType } from "./catalog.js";
import { FEEDBACK_TYPES, SES_SOURCE } from "./mail-feedback.js";

/** Factor changes after which every device the user had must earn its trust again (docs/api.md). */
export const FACTOR_CHANGES = [
  "TotpEnabled", "TotpDisabled", "SecurityKeyRegistered", "SecurityKeyRemoved", "RecoveryCodesRegenerated", "TwoFactorReset",
] as const satisfies readonly DetailType[];

/**
 * Which consumer takes which detail types. Plain data: the local bus delivers by it, and the
 * infrastructure makes, per entry, an EventBridge rule to an SQS queue that the consumer's function
 * reads (with a dead-letter queue and alarms). `handler` is the consumer's module (from the
 * repository root) and export, as SST names it.
 */
export interface Subscription {
  consumer: string;
  handler: string;
  detailTypes: readonly DetailType[];
  /**
   * Seconds the event source mapping may wait to fill a batch (MaximumBatchingWindowInSeconds):
   * only for consumers nobody waits on, since each of their events may land that much later. Fewer,
   * fuller batches are fewer invocations and SQS receives. The local bus delivers at once.
   */
  batchingWindowSeconds?: number;
  /**
   * At most this many of the consumer's invocations at once (the event source's maximum
   * concurrency): a consumer that calls a rate-limited service (SES) leaves its backlog waiting on
   * its queue, rather than fan out into throttling that spends the messages' receives.
   */
  paced?: { maxConcurrency: number };
  /**
   * It sends mail: on AWS only a stage with a sender (MAIL_FROM, an SES identity) has it, since SES
   * refuses every mail of a stage without one. Locally mail is written to files, so it always runs.
   */
  mails?: true;
}

/**
 * The batching window of the consumers that can wait: a user's security log may show an event
 * seconds late. At two events a second or more it fills a batch of 10.
 */
export const BATCHING_WINDOW_SECONDS = 5;
const CONSUMER_TIMEOUT_SECONDS = 30;

/**
 * How every consumer's queue delivers, on AWS (SQS and its event source mapping) and on the local
 * bus alike: in batches; a message the consumer reports as failed (or every message of a batch whose
 * invocation throws) is received again once its visibility timeout has passed, and after
 * `maxReceiveCount` receives it moves to the dead-letter queue. One failing message never holds back
 * the others of its batch.
 */
export const QUEUE_DELIVERY = {
  /** Also what one SQS receive can return: a larger batch would not save receives. */
  batchSize: 10,
  /** Receives of one message before it is dead-lettered. */
  maxReceiveCount: 5,
  /**
   * Six times the consumer's timeout, as AWS advises for queues that feed Lambda, plus the longest
   * batching window: a message is in flight (invisible) while its batch waits to fill.
   */
  visibilityTimeoutSeconds: 6 * CONSUMER_TIMEOUT_SECONDS + BATCHING_WINDOW_SECONDS,
  consumerTimeoutSeconds: CONSUMER_TIMEOUT_SECONDS,
  /** Dead letters are kept this long: time enough to fix the consumer and redrive. */
  deadLetterRetentionDays: 14,
} as const;

/** The events a person is told of by mail (packages/core/src/notifications has a message for each). */
export const MAILED = [
  "TwoFactorEnabled", "TwoFactorDisabled", "SecurityKeyRegistered", "SecurityKeyRemoved", "RecoveryCodesRegenerated",
  "RecoveryCodeUsed", "DeviceTrusted", "AccountLocked", "TwoFactorResetRequested", "TwoFactorReset", "MemberFlaggedForSetup",
  "TeamInvitationCreated",
] as const satisfies readonly DetailType[];

/** The fan-out's own continuation is plumbing, not something an auditor would care about. */
const INTERNAL: readonly DetailType[] = ["TeamRolloutContinued"];

/**
 * A batching window only where nobody waits: forgetting devices after a factor change ends a trust
 * that must not outlive it, a join or a removal is what the member sees next, and the enforcement
 * fan-out is a chain of hops that each window would slow.
 */
export const subscriptions: readonly Subscription[] = [
  {
    consumer: "audit-log",
    handler: "functions/events/audit-log.handler",
    detailTypes: DETAIL_TYPES.filter((t) => !INTERNAL.includes(t)),
    batchingWindowSeconds: BATCHING_WINDOW_SECONDS,
  },
  { consumer: "forget-devices", handler: "functions/events/forget-devices.handler", detailTypes: ["DeviceChanged", ...FACTOR_CHANGES] },
  { consumer: "team-membership", handler: "functions/events/team-membership.handler", detailTypes: ["TeamMemberAdded", "TeamMemberRemoved"] },
  {
    consumer: "team-enforcement",
    handler: "functions/events/team-enforcement.handler",
    detailTypes: ["TeamEnforcementEnabled", "TeamEnforcementDisabled", "TeamRolloutContinued"],
  },
  // No batching window (a warning is worth most at once); paced, since a team's enforcement mails every
  // member without 2FA at once and SES has a sending rate.
  { consumer: "notifier", handler: "functions/events/notifier.handler", detailTypes: MAILED, paced: { maxConcurrency: 2 }, mails: true },
];

/**
 * A consumer of events an AWS service publishes about this app, on the account's default bus (SES
 * publishes there only): the same queue, dead-letter queue and alarms as the others, a rule there.
 */
export interface ServiceSubscription {
  consumer: string;
  handler: string;
  source: string;
  detailTypes: readonly string[];
}

export const serviceSubscriptions: readonly ServiceSubscription[] = [
  // Hard bounces and complaints: the address is not mailed again.
  { consumer: "mail-feedback", handler: "functions/events/mail-feedback.handler", source: SES_SOURCE, detailTypes: FEEDBACK_TYPES },
];
