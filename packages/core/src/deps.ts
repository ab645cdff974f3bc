import type {
  Accounts, Attempts, AuditLog, Challenges, Clock, CredentialClaims, Invitations, MailLog, MailRate, MailSender, MailSuppressions, Memberships,
  NetworkBudgets, PasswordHasher, ResetTimers, SecondFactors, SecretVault, Sessions, Teams, TrustedDevices, WebAuthnChallenges,
} from "./ports.js";

/** The WebAuthn relying party: its ID (a registrable domain) and the origins its pages are served from. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/** Policy knobs; DEFAULT_POLICY holds the documented defaults. */
export interface Policy {
  totpIssuer: string;
  sessionTtlSeconds: number;
  challengeTtlSeconds: number;
  maxSecondFactorFailures: number;
  maxPasswordFailures: number;
  lockSeconds: number;
  relyingParty: RelyingParty;
  maxSecurityKeys: number;
  /**
   * A refused password answers no sooner than this after the request began, so that an unknown
   * email (no account to read or count against) and a wrong password take the same time.
   */
  failedLoginMinMs: number;
  /** How long after a second-factor proof a session may change factors ("sudo mode"). */
  reauthWindowSeconds: number;
  /** Wrong answers of any kind a network may give within its window before every check there is refused. */
  networkFailureLimit: number;
  networkWindowSeconds: number;
  /** How long a remembered device is trusted, from when it was remembered (using it does not extend it). */
  deviceTrustMaxAgeSeconds: number;
  maxTrustedDevices: number;
  /** Members the enforcement fan-out handles per invocation (a page), and how many at once within it. */
  rolloutPageSize: number;
  rolloutConcurrency: number;
  /** Key ranges of a team's members that the fan-out walks at once, each with its own checkpoint. */
  rolloutSegments: number;
  /** A rollout that has not checkpointed for this long is sent its continuations again. */
  rolloutStallSeconds: number;
  /** Teams a user may belong to (creating one counts). */
  maxTeams: number;
  /** Live invitations a team may have at once. */
  maxInvitations: number;
  invitationTtlSeconds: number;
  /** How long after an admin asks for it a reset of a member's 2FA takes effect (the member may cancel meanwhile). */
  teamResetDelaySeconds: number;
  /** Who security mails come from: `Name <address>` (MAIL_FROM). */
  mailFrom: string;
  /** Mails one address gets at most per hour; the rest are dropped and counted (MAIL_RATE_PER_HOUR). */
  mailRatePerHour: number;
}

export const DEFAULT_POLICY: Policy = {
  totpIssuer: "TwoFactor",
  sessionTtlSeconds: 12 * 3600,
  challengeTtlSeconds: 5 * 60,
  maxSecondFactorFailures: 5,
  maxPasswordFailures: 10,
  lockSeconds: 15 * 60,
  relyingParty: { id: "localhost", name: "TwoFactor", origins: ["http://localhost:3000"] },
  maxSecurityKeys: 10,
  failedLoginMinMs: 300,
  reauthWindowSeconds: 600,
  networkFailureLimit: 100,
  networkWindowSeconds: 900,
  deviceTrustMaxAgeSeconds: 30 * 24 * 3600,
  maxTrustedDevices: 20,
  rolloutPageSize: 200,
  rolloutConcurrency: 16,
  rolloutSegments: 8,
  // Longer than a message's five receives at the queue's 180 s visibility timeout.
  rolloutStallSeconds: 20 * 60,
  maxTeams: 100,
  maxInvitations: 100,
  invitationTtlSeconds: 7 * 24 * 3600,
  teamResetDelaySeconds: 24 * 3600,
  mailFrom: "TwoFactor <security@localhost>",
  mailRatePerHour: 30,
};

/**
 * What every use case may touch (the stores, the clock, the policy), handed in by the composition
 * root. The heavy ports are apart (WithVault, WithPasswords): a use case that seals or opens a
 * secret, or checks a password, says so in its signature, and only the functions whose handlers
 * call it compose (and bundle) the Encryption SDK or the argon2 addon.
 */
export interface Deps {
  clock: Clock;
  accounts: Accounts;
  attempts: Attempts;
  networks: NetworkBudgets;
  factors: SecondFactors;
  credentials: CredentialClaims;
  devices: TrustedDevices;
  challenges: Challenges;
  webauthnChallenges: WebAuthnChallenges;
  sessions: Sessions;
  auditLog: AuditLog;
  teams: Teams;
  memberships: Memberships;
  invitations: Invitations;
  resetTimers: ResetTimers;
  mailLog: MailLog;
  mailRate: MailRate;
  mailSuppressions: MailSuppressions;
  policy: Policy;
}

/** The TOTP secrets' vault, for the use cases that seal or open a secret. */
export interface WithVault {
  vault: SecretVault;
}

/** Password hashing, for sign-up and the password step of a login. */
export interface WithPasswords {
  passwords: PasswordHasher;
}

/** The mail transport, for the notifier only (its function alone holds the SES client and grant). */
export interface WithMail {
  mailer: MailSender;
}

/** Who is calling, for the events a request causes. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
}
