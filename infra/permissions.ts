/**
 * What each Lambda handler may touch, by handler name (as in functions/http/routes.ts and
 * events/subscriptions.ts). This is the one place that knows it; the stacks turn it into explicit
 * IAM statements. `kms` is only for handlers whose use case calls `deps.vault` (seal/open a TOTP
 * secret); `putEvents` for those that owe events through the outbox (sessions, factor changes,
 * lockouts) and so may publish them right after their write.
 */
export interface Access {
  /** dynamodb:GetItem and Query (table and its indexes). */
  tableRead: boolean;
  /** dynamodb:PutItem, UpdateItem and DeleteItem (conditional writes included). */
  tableWrite: boolean;
  /** kms:Encrypt, Decrypt and GenerateDataKey on the TOTP secrets key. */
  kms: boolean;
  /** events:PutEvents on the bus, for source `twofactor` only. */
  putEvents: boolean;
}

const none: Access = { tableRead: false, tableWrite: false, kms: false, putEvents: false };
const read: Access = { ...none, tableRead: true };
const readWrite: Access = { ...read, tableWrite: true };
const publishes: Access = { ...readWrite, putEvents: true };
const vault: Access = { ...publishes, kms: true };

/** A handler not listed here (a route added since) gets this: it still deploys, without the key. */
export const DEFAULT_ACCESS: Access = publishes;

export const handlerAccess: Readonly<Record<string, Access>> = {
  "functions/http/health.handler": none,
  "functions/http/openapi.handler": none,
  "functions/http/sign-up.handler": readWrite,
  "functions/http/login.handler": publishes,
  "functions/http/challenge-totp.handler": vault,
  "functions/http/challenge-recovery-code.handler": publishes,
  "functions/http/logout.handler": readWrite,
  "functions/http/get-me.handler": read,
  "functions/http/start-totp-enrollment.handler": vault,
  "functions/http/activate-totp.handler": vault,
  "functions/http/disable-totp.handler": vault,
  "functions/http/regenerate-recovery-codes.handler": vault,
  "functions/http/list-security-events.handler": read,
  "functions/http/challenge-webauthn-options.handler": readWrite,
  "functions/http/challenge-webauthn.handler": publishes,
  "functions/http/start-security-key-registration.handler": readWrite,
  "functions/http/register-security-key.handler": publishes,
  "functions/http/list-security-keys.handler": read,
  "functions/http/rename-security-key.handler": readWrite,
  "functions/http/remove-security-key.handler": publishes,
  "functions/http/reauthenticate.handler": vault,
  "functions/http/reauthenticate-webauthn-options.handler": readWrite,
  "functions/http/reauthenticate-webauthn.handler": publishes,
  "functions/http/create-team.handler": publishes,
  "functions/http/get-team.handler": read,
  "functions/http/add-team-member.handler": publishes,
  "functions/http/list-team-members.handler": read,
  "functions/http/remove-team-member.handler": publishes,
  "functions/http/set-team-enforcement.handler": publishes,
  "functions/http/get-team-enforcement.handler": read,
  "functions/http/reset-member-two-factor.handler": publishes,
  "functions/http/list-team-audit-events.handler": read,
  "functions/events/audit-log.handler": readWrite,
  // Holds and flags members, checkpoints, and publishes the page's events and its continuation.
  "functions/events/team-enforcement.handler": publishes,
  "functions/events/outbox-sweep.handler": publishes,
};

export function accessFor(handler: string): Access {
  return handlerAccess[handler] ?? DEFAULT_ACCESS;
}
