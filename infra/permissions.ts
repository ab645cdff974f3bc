/**
 * What each Lambda handler may call, by handler name (as in functions/http/routes.ts,
 * events/subscriptions.ts and functions/events/schedule.ts). This is the one place that knows it:
 * the stacks turn it into explicit IAM statements (and the KMS key policy names the roles that may
 * use the key), and tests/infra/handler-calls.test.ts runs every handler on the embedded runtime,
 * recording the AWS calls each makes, and fails if a handler calls anything not listed here or is
 * granted anything it never calls. So when that test fails, change this table, not the handler.
 */

/**
 * One IAM action on one resource of this app. The table's writes (PutItem, UpdateItem, DeleteItem)
 * reach every partition but the audit log's (`AUDIT#…`, a `dynamodb:LeadingKeys` condition): only
 * `dynamodb:PutItem@audit` writes there, and nothing may update or delete an audit entry.
 */
export type Grant =
  | "dynamodb:GetItem" | "dynamodb:BatchGetItem" | "dynamodb:Query" | "dynamodb:PutItem" | "dynamodb:UpdateItem" | "dynamodb:DeleteItem"
  | "dynamodb:BatchWriteItem"
  /** PutItem on the audit log's partitions alone (the audit consumer). */
  | "dynamodb:PutItem@audit"
  /** Query on the `outbox` index (only the sweep reads it). */
  | "dynamodb:Query@outbox"
  /**
   * The TOTP secrets key, for encryption context `purpose = totp` only: opening a secret sealed
   * before the hierarchical keyring (the plain KMS keyring's data keys), until `npm run reseal-secrets`.
   */
  | "kms:Decrypt"
  /**
   * The hierarchical keyring: reading the branch key (GetItem on the branch key store's table) and
   * unwrapping it (Decrypt on the key, for the store's encryption context `tablename` and branch key
   * id only), about once per function instance per cache period, to seal or open any secret.
   */
  | "dynamodb:GetItem@branch-keys" | "kms:Decrypt@branch-keys"
  /** The bus, for source `twofactor` only: the outbox relay and the sweep, nothing else, publish. */
  | "events:PutEvents"
  /** SES, as the stage's mail identity, through its configuration set (the notifier). */
  | "ses:SendEmail";

export const TABLE_ACTIONS = [
  "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
] as const;
export const TABLE_WRITES = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"] as const;

/** The partition keys of the audit log (`AUDIT#USER#…`, `AUDIT#TEAM#…`), as an IAM `dynamodb:LeadingKeys` pattern. */
export const AUDIT_PARTITION_PREFIX = "AUDIT#";
export const AUDIT_PARTITIONS = `${AUDIT_PARTITION_PREFIX}*`;
export const KEY_ACTIONS = ["kms:Decrypt", "kms:Decrypt@branch-keys"] as const;

const session = ["dynamodb:BatchGetItem"] as const; // every authenticated route reads its session with the user's security state
const account = [...session, "dynamodb:Query"] as const; // …and the user's partition
const publish = "events:PutEvents";
const vault = ["dynamodb:GetItem@branch-keys", "kms:Decrypt@branch-keys"] as const; // seal or open, through the branch key
const openOlder = "kms:Decrypt"; // a secret sealed by the plain KMS keyring

/**
 * A handler not listed here (a route added since) gets this: it deploys and works, with the table
 * but not the key or the bus (events go out through the outbox); the handler-call test then names
 * what it really calls.
 */
export const DEFAULT_GRANTS: readonly Grant[] = [...TABLE_ACTIONS];

export const handlerGrants: Readonly<Record<string, readonly Grant[]>> = {
  // The profile, then the email claim; a lost claim deletes the profile again.
  "functions/http/sign-up.handler": ["dynamodb:DeleteItem", "dynamodb:PutItem"],
  "functions/http/login.handler": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  // The login challenge waits on the factors item, and the proof's claim write uses it up: no delete.
  "functions/http/challenge-totp.handler": [...vault, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", openOlder],
  "functions/http/challenge-recovery-code.handler": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  "functions/http/challenge-webauthn-options.handler": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
  "functions/http/challenge-webauthn.handler": ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  "functions/http/logout.handler": [...session, "dynamodb:UpdateItem"],
  // The session and the account together (preload): the session alone, beside the account's query.
  "functions/http/get-me.handler": ["dynamodb:GetItem", "dynamodb:Query"],
  // Enrollment seals a new secret: the branch key derives its data key, so no KMS data key is made.
  "functions/http/start-totp-enrollment.handler": [...account, ...vault, "dynamodb:UpdateItem"],
  "functions/http/activate-totp.handler": [...account, ...vault, "dynamodb:GetItem", "dynamodb:UpdateItem", openOlder],
  "functions/http/disable-totp.handler": [...account, ...vault, "dynamodb:GetItem", "dynamodb:UpdateItem", openOlder],
  "functions/http/regenerate-recovery-codes.handler": [...account, ...vault, "dynamodb:GetItem", "dynamodb:UpdateItem", openOlder],
  "functions/http/list-security-events.handler": [...account],
  "functions/http/start-security-key-registration.handler": [...account, "dynamodb:PutItem"],
  "functions/http/register-security-key.handler": [...account, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
  "functions/http/list-security-keys.handler": [...account],
  "functions/http/rename-security-key.handler": [...account, "dynamodb:UpdateItem"],
  // The key, then its credential claim is freed.
  "functions/http/remove-security-key.handler": [...account, "dynamodb:DeleteItem", "dynamodb:UpdateItem"],
  "functions/http/reauthenticate.handler": [...account, ...vault, "dynamodb:GetItem", "dynamodb:UpdateItem", openOlder],
  "functions/http/reauthenticate-webauthn-options.handler": [...account, "dynamodb:GetItem", "dynamodb:PutItem"],
  "functions/http/reauthenticate-webauthn.handler": [...account, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
  "functions/http/list-devices.handler": [...account],
  "functions/http/forget-device.handler": [...account, "dynamodb:UpdateItem"],
  "functions/http/forget-all-devices.handler": [...account, "dynamodb:UpdateItem"],
  "functions/http/create-team.handler": [...session, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "functions/http/get-team.handler": [...session, "dynamodb:GetItem"],
  "functions/http/list-team-members.handler": [...account, "dynamodb:GetItem"],
  "functions/http/remove-team-member.handler": [...session, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
  // The enforcement (the team item) with its rollout's progress (the segments' items, one query); the watch on its rollout.
  "functions/http/set-team-enforcement.handler": [...session, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  "functions/http/get-team-enforcement.handler": [...session, "dynamodb:GetItem", "dynamodb:Query"],
  "functions/http/reset-member-two-factor.handler": [...account, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "functions/http/list-team-audit-events.handler": [...account, "dynamodb:GetItem"],
  // Each event once for its user, and once under every team it concerns (memberships are queried).
  "functions/events/audit-log.handler": ["dynamodb:Query", "dynamodb:PutItem@audit"],
  // Reads a page's members, holds and flags them, checkpoints segments (owing the page's events and its continuation), completes and unwatches.
  "functions/events/team-enforcement.handler": ["dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  "functions/events/forget-devices.handler": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  // The backlog: its partitions queried, published, deleted; what the outbox index held moved into it.
  "functions/events/outbox-sweep.handler": ["dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Query@outbox", "dynamodb:UpdateItem", publish],
  // The table's stream → the bus; what EventBridge refuses goes to the backlog.
  "functions/events/outbox-relay.handler": ["dynamodb:BatchWriteItem", publish],
  // Finishes a join or a removal on the team's side (the member item, the history, the counts).
  "functions/events/team-membership.handler": [...session, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  // An invitation: the pointer under the address, then the team's invitations item owing the event.
  "functions/http/create-invitation.handler": [...session, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "functions/http/list-team-invitations.handler": [...session, "dynamodb:GetItem"],
  "functions/http/withdraw-invitation.handler": [...session, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
  "functions/http/list-my-invitations.handler": [...account],
  "functions/http/accept-invitation.handler": [...session, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "functions/http/decline-invitation.handler": [...session, "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
  "functions/http/list-my-teams.handler": [...session],
  // Takes due resets into effect: the timers' query, the factors' write, the credential claims freed.
  "functions/events/reset-timers.handler": ["dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  // Resumes stalled rollouts: the watches' query, the team items, a resume owing the continuations.
  "functions/events/stalled-rollouts.handler": ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  "functions/http/health.handler": [],
  "functions/http/openapi.handler": [],
  "functions/http/not-found.handler": [],
  // Looks up names (profiles, the team), claims the event's mail, checks the address, counts the hour, sends.
  // A refused send gives the claim back (DeleteItem); a dropped one holds the hour's summary in the outbox backlog (a put).
  "functions/events/notifier.handler": [
    "dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "ses:SendEmail",
  ],
  // A hard bounce or a complaint: the address's suppression item.
  "functions/events/mail-feedback.handler": ["dynamodb:PutItem"],
};

export function grantsFor(handler: string): readonly Grant[] {
  return handlerGrants[handler] ?? DEFAULT_GRANTS;
}

/** Handlers whose role may use the TOTP secrets key, and for what: the key policy names exactly these. */
export function keyUsers(action: (typeof KEY_ACTIONS)[number]): string[] {
  return Object.entries(handlerGrants).filter(([, grants]) => grants.includes(action)).map(([handler]) => handler);
}
