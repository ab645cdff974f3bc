import type { SecurityEvent } from "../types.js";
import { when } from "./when.js";

type EventType = SecurityEvent["type"];

/** Each event type in words: the audit log's filter and the first words of each row. */
export const EVENT_NAMES: Record<EventType, string> = {
  LoginSucceeded: "Signed in",
  LoginFailed: "Failed sign-in",
  AccountLocked: "Locked after too many attempts",
  TwoFactorEnabled: "Two-factor authentication turned on",
  TwoFactorDisabled: "Two-factor authentication turned off",
  TwoFactorResetRequested: "Reset of two-factor authentication requested",
  TwoFactorResetCancelled: "Reset of two-factor authentication cancelled",
  TwoFactorReset: "Two-factor authentication reset by a team admin",
  TotpEnabled: "Authenticator app added",
  TotpDisabled: "Authenticator app removed",
  SecurityKeyRegistered: "Security key added",
  SecurityKeyRemoved: "Security key removed",
  SecurityKeyCloneDetected: "Security key refused: it may have been copied",
  RecoveryCodesRegenerated: "New recovery codes made",
  RecoveryCodeUsed: "Recovery code used",
  DeviceTrusted: "Device remembered",
  DeviceChanged: "Remembered device changed",
  TrustedDeviceRevoked: "Device forgotten",
  MemberFlaggedForSetup: "Asked to set up two-factor authentication",
  TeamCreated: "Team created",
  TeamMemberAdded: "Joined the team",
  TeamMemberRemoved: "Left the team",
  TeamInvitationCreated: "Invitation sent",
  TeamInvitationAccepted: "Invitation accepted",
  TeamEnforcementEnabled: "Team started enforcing two-factor authentication",
  TeamEnforcementDisabled: "Team stopped enforcing two-factor authentication",
  TeamRolloutContinued: "Enforcement rollout continued",
  NotificationsSuppressed: "Notifications suppressed",
};

const METHOD: Record<string, string> = {
  totp: "with the authenticator app", webauthn: "with a security key", recovery_code: "with a recovery code",
  password: "with a password alone", trusted_device: "on a remembered device",
};
const FAILED: Record<string, string> = {
  totp: "wrong authenticator code", webauthn: "security key refused", recovery_code: "wrong recovery code", password: "wrong password",
};
const PURPOSE: Record<string, string> = {
  login: "to sign in", disable_totp: "to turn off the authenticator app", regenerate_recovery_codes: "to make new codes", reauthenticate: "to verify it was them",
};
const FORGOTTEN: Record<string, string> = {
  user: "by hand", all: "with all devices", changed: "because its network or browser changed", replaced: "replaced by a newer sign-in",
  factor_changed: "because the sign-in methods changed",
};
const HELD: Record<string, string> = { enforcement: "the team enforces it", joined: "joined while the team enforces it", reset: "after a reset" };
const CANCELLED: Record<string, string> = { proved_factor: "they verified it was them", left_team: "they left the team" };
const ROLE: Record<string, string> = { owner: "owner", admin: "admin", member: "member", auditor: "auditor" };

/** What happened, and how (in words, from the event's own fields) when that says more; never ids or field names. */
export function describeEvent(event: SecurityEvent): { what: string; how: string | null } {
  const d = event.detail as Record<string, unknown>;
  const text = (field: string) => (typeof d[field] === "string" ? (d[field] as string) : "");
  const how = ((): string | null => {
    switch (event.type) {
      case "LoginSucceeded": return METHOD[text("method")] ?? null;
      case "LoginFailed": return FAILED[text("method")] ?? null;
      case "AccountLocked": return `${text("scope") === "password" ? "passwords" : "second factors"} refused until ${when(text("lockedUntil"))}`;
      case "TwoFactorEnabled": case "TwoFactorDisabled": return text("method") === "webauthn" ? "by a security key" : "by the authenticator app";
      case "TotpDisabled": return text("with") === "recovery_code" ? "proved with a recovery code" : "proved with a code from the app";
      case "SecurityKeyRegistered": case "SecurityKeyRemoved": return text("name") ? `“${text("name")}”` : null;
      case "RecoveryCodeUsed": return [PURPOSE[text("purpose")], typeof d.remaining === "number" ? `${d.remaining} left` : ""].filter(Boolean).join(", ");
      case "DeviceTrusted": return [text("label"), text("network")].filter(Boolean).join(", ");
      case "DeviceChanged": return Array.isArray(d.changed) ? `its ${(d.changed as string[]).join(" and ")} changed` : null;
      case "TrustedDeviceRevoked": return FORGOTTEN[text("reason")] ?? null;
      case "MemberFlaggedForSetup": return HELD[text("reason")] ?? null;
      case "TeamCreated": return text("name") ? `“${text("name")}”` : null;
      case "TeamMemberAdded": case "TeamMemberRemoved": case "TeamInvitationAccepted": return ROLE[text("role")] ? `as ${ROLE[text("role")]}` : null;
      case "TeamInvitationCreated": return `${text("email")} as ${ROLE[text("role")] ?? "member"}`;
      case "TwoFactorResetRequested": return `takes effect ${when(text("effectiveAt"))} unless cancelled`;
      case "TwoFactorResetCancelled": return CANCELLED[text("reason")] ?? null;
      case "NotificationsSuppressed": return `over the hourly limit of mails, ${when(text("windowStart"))} to ${when(text("windowEnd"))}`;
      default: return null;
    }
  })();
  // An hour's mails over the rate: "12 notifications suppressed".
  if (event.type === "NotificationsSuppressed" && typeof d.count === "number") {
    return { what: `${d.count} notification${d.count === 1 ? "" : "s"} suppressed`, how };
  }
  return { what: EVENT_NAMES[event.type] ?? event.type.replace(/([a-z])([A-Z])/g, "$1 $2"), how: how || null };
}
