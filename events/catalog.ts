import type { z } from "zod";
import * as AccountLocked from "./account-locked.js";
import * as DeviceChanged from "./device-changed.js";
import * as DeviceTrusted from "./device-trusted.js";
import * as MemberFlaggedForSetup from "./member-flagged-for-setup.js";
import * as NotificationsSuppressed from "./notifications-suppressed.js";
import * as TeamCreated from "./team-created.js";
import * as TeamInvitationAccepted from "./team-invitation-accepted.js";
import * as TeamInvitationCreated from "./team-invitation-created.js";
import * as TeamEnforcementDisabled from "./team-enforcement-disabled.js";
import * as TeamEnforcementEnabled from "./team-enforcement-enabled.js";
import * as TeamMemberAdded from "./team-member-added.js";
import * as TeamMemberRemoved from "./team-member-removed.js";
import * as TeamRolloutContinued from "./team-rollout-continued.js";
import * as TwoFactorReset from "./two-factor-reset.js";
import * as TwoFactorResetCancelled from "./two-factor-reset-cancelled.js";
import * as TwoFactorResetRequested from "./two-factor-reset-requested.js";
import * as LoginFailed from "./login-failed.js";
import * as LoginSucceeded from "./login-succeeded.js";
import * as RecoveryCodeUsed from "./recovery-code-used.js";
import * as RecoveryCodesRegenerated from "./recovery-codes-regenerated.js";
import * as SecurityKeyCloneDetected from "./security-key-clone-detected.js";
import * as SecurityKeyRegistered from "./security-key-registered.js";
import * as SecurityKeyRemoved from "./security-key-removed.js";
import * as TotpDisabled from "./totp-disabled.js";
import * as TrustedDeviceRevoked from "./trusted-device-revoked.js";
import * as TotpEnabled from "./totp-enabled.js";
import * as TwoFactorDisabled from "./two-factor-disabled.js";
import * as TwoFactorEnabled from "./two-factor-enabled.js";

/** Every detail type this system publishes, with the schema publishers and consumers share. */
export const catalog = {
  [AccountLocked.DETAIL_TYPE]: AccountLocked.schema,
  [DeviceChanged.DETAIL_TYPE]: DeviceChanged.schema,
  [DeviceTrusted.DETAIL_TYPE]: DeviceTrusted.schema,
  [LoginFailed.DETAIL_TYPE]: LoginFailed.schema,
  [LoginSucceeded.DETAIL_TYPE]: LoginSucceeded.schema,
  [RecoveryCodeUsed.DETAIL_TYPE]: RecoveryCodeUsed.schema,
  [RecoveryCodesRegenerated.DETAIL_TYPE]: RecoveryCodesRegenerated.schema,
  [SecurityKeyCloneDetected.DETAIL_TYPE]: SecurityKeyCloneDetected.schema,
  [SecurityKeyRegistered.DETAIL_TYPE]: SecurityKeyRegistered.schema,
  [SecurityKeyRemoved.DETAIL_TYPE]: SecurityKeyRemoved.schema,
  [TotpDisabled.DETAIL_TYPE]: TotpDisabled.schema,
  [TotpEnabled.DETAIL_TYPE]: TotpEnabled.schema,
  [TrustedDeviceRevoked.DETAIL_TYPE]: TrustedDeviceRevoked.schema,
  [TwoFactorDisabled.DETAIL_TYPE]: TwoFactorDisabled.schema,
  [TwoFactorEnabled.DETAIL_TYPE]: TwoFactorEnabled.schema,
  [MemberFlaggedForSetup.DETAIL_TYPE]: MemberFlaggedForSetup.schema,
  [NotificationsSuppressed.DETAIL_TYPE]: NotificationsSuppressed.schema,
  [TeamCreated.DETAIL_TYPE]: TeamCreated.schema,
  [TeamEnforcementDisabled.DETAIL_TYPE]: TeamEnforcementDisabled.schema,
  [TeamEnforcementEnabled.DETAIL_TYPE]: TeamEnforcementEnabled.schema,
  [TeamInvitationAccepted.DETAIL_TYPE]: TeamInvitationAccepted.schema,
  [TeamInvitationCreated.DETAIL_TYPE]: TeamInvitationCreated.schema,
  [TeamMemberAdded.DETAIL_TYPE]: TeamMemberAdded.schema,
  [TeamMemberRemoved.DETAIL_TYPE]: TeamMemberRemoved.schema,
  [TeamRolloutContinued.DETAIL_TYPE]: TeamRolloutContinued.schema,
  [TwoFactorReset.DETAIL_TYPE]: TwoFactorReset.schema,
  [TwoFactorResetCancelled.DETAIL_TYPE]: TwoFactorResetCancelled.schema,
  [TwoFactorResetRequested.DETAIL_TYPE]: TwoFactorResetRequested.schema,
} as const;

export type DetailType = keyof typeof catalog;
export type DetailOf<T extends DetailType> = z.infer<(typeof catalog)[T]>;

/** One event as it travels: its detail type and its validated detail. */
export type DomainEvent = { [T in DetailType]: { detailType: T; detail: DetailOf<T> } }[DetailType];

export const DETAIL_TYPES = Object.keys(catalog) as DetailType[];

export function isDetailType(value: string): value is DetailType {
  return Object.hasOwn(catalog, value);
}

/** Validates a detail against its schema; throws on an unknown type or a detail that does not fit. */
export function parseEvent(detailType: string, detail: unknown): DomainEvent {
  if (!isDetailType(detailType)) throw new Error(`unknown detail type ${detailType}`);
  return { detailType, detail: catalog[detailType].parse(detail) } as DomainEvent;
}
