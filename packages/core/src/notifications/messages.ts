import type { DetailOf } from "@twofactor/events";
import type { MAILED } from "@twofactor/events/subscriptions";
import type { TeamRole } from "../ports.js";
import { isoTime } from "./when.js";

export type MailedType = (typeof MAILED)[number];

/** What a message names beyond its event: looked up in the stores when it is drafted, never carried by events. */
export interface Names {
  /** The service as people know it (the issuer their authenticator app shows). */
  service: string;
  /** The team the event concerns. */
  team?: string;
  /** Whoever acted when it was not the recipient: the inviter, the admin who asked for a reset. */
  actor?: string;
}

/** One mail's words: what happened, and what to do if it was not you. Never a secret, a code, a token or a link. */
export interface Message {
  subject: string;
  happened: string[];
  ifNotYou: string;
  /** The heading of `ifNotYou`, when "If this was not you" does not fit. */
  ifNotYouHeading?: string;
  /**
   * Whether the event's network and browser are shown: not to an invited address, for whom they
   * would be the inviter's own (their privacy, and nothing the invitee can act on).
   */
  showsWhere: boolean;
}

const quoted = (name: string | undefined, otherwise: string) => (name ? `“${name}”` : otherwise);
const REVIEW = "check Login & security for factors and remembered devices you do not recognise, and tell your team's administrators";
const ROLES: Record<TeamRole, string> = { owner: "an owner", admin: "an administrator", member: "a member", auditor: "an auditor" };
const PURPOSES: Record<DetailOf<"RecoveryCodeUsed">["purpose"], string> = {
  login: "to sign in",
  disable_totp: "to remove your authenticator app",
  regenerate_recovery_codes: "to generate new recovery codes",
  reauthenticate: "to confirm it was you before a security change",
};

function codesLeft(remaining: number): string {
  if (remaining === 0) return "No recovery codes are left: generate a new set in Login & security now.";
  const left = remaining === 1 ? "1 recovery code is left" : `${remaining} recovery codes are left`;
  return remaining <= 3 ? `${left}: generate a new set in Login & security soon.` : `${left}.`;
}

function removedFactors(detail: DetailOf<"TwoFactorReset">): string {
  const keys = detail.securityKeysRemoved;
  const parts = [
    ...(detail.totpRemoved ? ["your authenticator app"] : []),
    ...(keys ? [keys === 1 ? "your security key" : `your ${keys} security keys`] : []),
  ];
  return parts.length ? `${parts.join(" and ")} ${parts.length > 1 || keys > 1 ? "were" : "was"} removed` : "your factors were removed";
}

/** Who asked for a reset, as the member reads it: "Grace (an administrator of the team “Ops”)". */
const byAdmin = (names: Names) => {
  const role = `an administrator of the team ${quoted(names.team, "you belong to")}`;
  return names.actor ? `${names.actor} (${role})` : role;
};
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** One message per kind of event that is mailed. */
export const MESSAGES: { [T in MailedType]: (detail: DetailOf<T>, names: Names) => Message } = {
  TwoFactorEnabled: (detail, { service }) => ({
    subject: "Two-factor authentication was turned on",
    happened: [
      `Two-factor authentication was turned on for your ${service} account, with ${detail.method === "totp" ? "an authenticator app" : "a security key"}.`,
      "From now on, signing in asks for it after your password.",
    ],
    ifNotYou: `Someone who knows your password may have added a factor of their own. Sign in, ${REVIEW}.`,
    showsWhere: true,
  }),
  TwoFactorDisabled: (detail, { service }) => ({
    subject: "Two-factor authentication was turned off",
    happened: [
      `Two-factor authentication was turned off for your ${service} account: its last ${detail.method === "totp" ? "authenticator app" : "security key"} was removed.`,
      "Your password alone signs you in now.",
    ],
    ifNotYou: "Sign in now, turn two-factor authentication back on in Login & security, and tell your team's administrators.",
    showsWhere: true,
  }),
  SecurityKeyRegistered: (detail, { service }) => ({
    subject: "A security key was added to your account",
    happened: [`The security key “${detail.name}” was added to your ${service} account. It can now sign you in as your second factor.`],
    ifNotYou: `Sign in, remove that key in Login & security, and ${REVIEW}.`,
    showsWhere: true,
  }),
  SecurityKeyRemoved: (detail, { service }) => ({
    subject: "A security key was removed from your account",
    happened: [`The security key “${detail.name}” was removed from your ${service} account. It no longer signs you in.`],
    ifNotYou: `Someone signed in to your account. Sign in, ${REVIEW}.`,
    showsWhere: true,
  }),
  RecoveryCodesRegenerated: (detail, { service }) => ({
    subject: "New recovery codes were generated",
    happened: [
      `A new set of ${detail.count} recovery codes was generated for your ${service} account; the earlier codes no longer work.`,
      "Recovery codes are shown once, where they are generated, and never sent by mail.",
    ],
    ifNotYou: `Someone signed in to your account. Sign in, generate a new set yourself in Login & security, ${REVIEW}.`,
    showsWhere: true,
  }),
  RecoveryCodeUsed: (detail, { service }) => ({
    subject: "A recovery code was used",
    happened: [`One of your recovery codes was used ${PURPOSES[detail.purpose]} on your ${service} account.`, codesLeft(detail.remaining)],
    ifNotYou: `Someone has your password and one of your recovery codes. Sign in, generate a new set of recovery codes in Login & security, ${REVIEW}.`,
    showsWhere: true,
  }),
  DeviceTrusted: (detail, { service }) => ({
    subject: "A new device was remembered",
    happened: [
      `A new device was remembered for your ${service} account: ${detail.label}.`,
      `It signs in without a second factor until ${isoTime(detail.expiresAt)}, as long as it stays on the same network and browser.`,
    ],
    ifNotYou: `Sign in and forget that device (or every device) in Login & security, then ${REVIEW}.`,
    showsWhere: true,
  }),
  AccountLocked: (detail, { service }) => ({
    subject: "Your account was locked after failed attempts",
    happened: [
      `Too many wrong ${detail.scope === "password" ? "passwords" : "second-factor codes"} in a row were tried on your ${service} account,`
        + ` so its ${detail.scope === "password" ? "password" : "second-factor"} checks are locked until ${isoTime(detail.lockedUntil)}.`,
    ],
    ifNotYou: detail.scope === "password"
      ? "Someone may be guessing your password. Make sure it is long and used nowhere else, and turn on two-factor authentication if it is off."
      : "Someone who knows your password may be guessing your codes. Change your password where you reuse it, and tell your team's administrators.",
    showsWhere: true,
  }),
  TwoFactorResetRequested: (detail, names) => ({
    subject: "A reset of your two-factor authentication was requested",
    happened: [
      `${capitalized(byAdmin(names))} asked to reset your two-factor authentication on ${names.service}.`,
      `It takes effect at ${isoTime(detail.effectiveAt)}: then your authenticator app, security keys, recovery codes and remembered devices are removed, and you set up two-factor authentication again at your next sign-in.`,
      "To cancel it, prove a second factor before then: sign in with your authenticator app or a security key, or verify it's you in Login & security.",
    ],
    ifNotYou: "A reset is meant for a lost phone or key. If you still have yours, cancel it as above, and ask the team's administrators why it was asked for.",
    ifNotYouHeading: "If you did not ask for this",
    showsWhere: true,
  }),
  TwoFactorReset: (detail, names) => ({
    subject: "Your two-factor authentication was reset",
    happened: [
      `The reset of your two-factor authentication that ${byAdmin(names)} asked for has taken effect on ${names.service}:`
        + ` ${removedFactors(detail)}, with your recovery codes and remembered devices, and every session was ended.`,
      "You set up two-factor authentication again at your next sign-in.",
    ],
    ifNotYou: "Sign in and set up two-factor authentication again at once, and ask the team's administrators why the reset was asked for.",
    ifNotYouHeading: "If you did not expect this",
    showsWhere: true,
  }),
  MemberFlaggedForSetup: (detail, names) => ({
    subject: "Your team requires two-factor authentication",
    happened: [
      detail.reason === "joined"
        ? `You joined the team ${quoted(names.team, "on " + names.service)}, which requires two-factor authentication of its members.`
        : detail.reason === "reset"
          ? `After the reset of your two-factor authentication, the team ${quoted(names.team, "you belong to")} requires you to set it up again.`
          : `The team ${quoted(names.team, "you belong to")} now requires two-factor authentication of its members on ${names.service}.`,
      "At your next sign-in you are asked to set up an authenticator app or a security key before anything else.",
    ],
    ifNotYou: "If you do not recognise this team, sign in, look at your teams, and ask its administrators.",
    ifNotYouHeading: "If you did not expect this",
    showsWhere: false,
  }),
  TeamInvitationCreated: (detail, names) => ({
    subject: `An invitation to join the team ${quoted(names.team, "on " + names.service)}`,
    happened: [
      `${names.actor ?? "Someone"} invited ${detail.email} to join ${names.team ? `the team “${names.team}”` : "a team"} on ${names.service} as ${ROLES[detail.role]}.`,
      `The invitation is open until ${isoTime(detail.expiresAt)}. To accept it, sign in with this address (or create an account with it) and open your teams. Nobody joins a team without accepting.`,
    ],
    ifNotYou: "Ignore this mail if you do not know them: the invitation lapses by itself.",
    ifNotYouHeading: "If you did not expect this",
    showsWhere: false,
  }),
};
