/**
 * The custom metrics the functions publish (EMF lines in their logs, namespace
 * POWERTOOLS_METRICS_NAMESPACE, dimension `service`: Powertools Metrics for the outbox sweep's,
 * metered-events.ts for the events' own). Plain data: the stacks alarm on some of them by these names.
 */
export const METRICS = {
  /** Seconds the oldest event the outbox sweep could not publish has been owed; 0 when none is. */
  outboxOldestPendingAge: "OutboxOldestPendingAge",
  outboxEventsPublished: "OutboxEventsPublished",
  outboxEntriesSkipped: "OutboxEntriesSkipped",
  /** Sessions issued, by `method` (password, totp, webauthn, recovery_code, trusted_device). */
  logins: "Logins",
  /** Failed credential checks, by `factor` (password, totp, webauthn, recovery_code). */
  loginFailures: "LoginFailures",
  /** Accounts locked, by `scope` (password, second_factor). */
  accountLocks: "AccountLocks",
  /** Security-key assertions whose counter did not rise: a possible clone. */
  cloneDetections: "SecurityKeyCloneDetections",
  /** Trusted devices that came back from another network or browser, by what `changed`. */
  devicesChanged: "DevicesChanged",
  /** Members the enforcement fan-out held to setup, by `reason` (enforcement, joined, reset): the rollout's progress. */
  membersFlaggedForSetup: "MembersFlaggedForSetup",
  /** Security mails by `outcome`: sent, dropped over the hourly rate, suppressed (the address bounced), unknown (the transport failed mid-way). */
  mails: "Mails",
} as const;

/** The `service` dimension every metric carries (POWERTOOLS_SERVICE_NAME). */
export const METRICS_SERVICE = "twofactor";
