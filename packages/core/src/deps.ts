import type {
  Accounts, Attempts, AuditLog, Challenges, Clock, CredentialClaims, EnforcementHolds, NetworkBudgets, SecondFactors, SecretVault,
  Sessions, Teams, TrustedDevices, WebAuthnChallenges,
} from "./ports.js";

/** The WebAuthn relying party: its ID (a registrable domain) and the origins its pages are served from. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/** Policy knobs; defaults in DEFAULT_POLICY follow API.md. */
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
};

/** Everything a use case may touch, handed in by the composition root. */
export interface Deps {
  clock: Clock;
  vault: SecretVault;
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
  holds: EnforcementHolds;
  policy: Policy;
}

/** Who is calling, for the events a request causes. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
}
