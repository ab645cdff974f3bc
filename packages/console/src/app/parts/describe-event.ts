import type { SecurityEvent } from "../types.js";

const WORDS: Record<string, string> = {
  TeamCreated: "Team created",
  TeamMemberAdded: "Member added",
  TeamMemberRemoved: "Member removed",
  LoginSucceeded: "Signed in",
  LoginFailed: "Failed sign-in",
  AccountLocked: "Locked after too many attempts",
  TwoFactorEnabled: "Two-factor authentication turned on",
  TwoFactorDisabled: "Two-factor authentication turned off",
  TwoFactorReset: "Two-factor authentication reset by a team admin",
  TotpEnabled: "Authenticator app added",
  TotpDisabled: "Authenticator app removed",
  SecurityKeyRegistered: "Security key added",
  SecurityKeyRemoved: "Security key removed",
  RecoveryCodesRegenerated: "New recovery codes generated",
  RecoveryCodeUsed: "Recovery code used",
  DeviceTrusted: "Device remembered",
  DeviceChanged: "Remembered device changed network or browser",
  TrustedDeviceRevoked: "Device forgotten",
  MemberFlaggedForSetup: "Asked to set up two-factor authentication",
  TeamEnforcementEnabled: "Team started enforcing two-factor authentication",
  TeamEnforcementDisabled: "Team stopped enforcing two-factor authentication",
};

/** An event in words; the fields that say how (`method`, `reason`, …) in brackets. */
export function describeEvent(event: SecurityEvent): string {
  const words = WORDS[event.type] ?? event.type.replace(/([a-z])([A-Z])/g, "$1 $2");
  const how = ["method", "factor", "reason", "with", "purpose", "name", "role"]
    .map((field) => event.detail[field])
    .filter((part): part is string => typeof part === "string");
  return how.length ? `${words} (${how.join(", ").replace(/_/g, " ")})` : words;
}
