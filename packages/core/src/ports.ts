import type { DomainEvent } from "@twofactor/events";

/**
 * What the domain needs from the world. Stores carry every security invariant in one conditional
 * single-item write (they answer `false` when the condition lost); writes that take `owed` events
 * record them in that same write and guarantee their eventual publication (the outbox).
 */

export interface Clock {
  now(): Date;
}

export type EncryptionContext = Readonly<Record<string, string>>;

/** Envelope encryption bound to a context; `open` fails unless the context is the one sealed with. */
export interface SecretVault {
  seal(plaintext: Uint8Array, context: EncryptionContext): Promise<string>;
  open(sealed: string, context: EncryptionContext): Promise<Uint8Array>;
}

/**
 * One-way password hashing (argon2id in the adapter). A port, so that the domain carries no native
 * addon and only the functions that check or set a password load one.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Publishes events to the bus; adapters retry failed entries and throw if some still fail. */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export interface UserProfile {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export type TotpStatus = "pending" | "active" | "disabled";

export interface TotpFactor {
  status: TotpStatus;
  sealedSecret?: string;
  lastUsedStep?: number;
  activatedAt?: string;
}

export interface RecoveryCodeSet {
  /** SHA-256 of each code → whether it was used. */
  codes: Record<string, boolean>;
  generatedAt: string;
}

export type LockScope = "password" | "second_factor";

export interface AttemptState {
  failures: number;
  lockedUntil?: string;
  /** When the last counted failure happened: a spent budget whose lock was never written locks from here. */
  lastFailureAt?: string;
}

/** A registered WebAuthn credential (a security key): what verifying its next assertion needs. */
export interface SecurityKey {
  /** The credential ID, base64url; also the key's id in the API. */
  id: string;
  /** COSE public key, base64url. Public: storing it in the clear is safe. */
  publicKey: string;
  /** The authenticator's signature counter as last seen; 0 for authenticators that keep none. */
  counter: number;
  transports: string[];
  aaguid: string;
  backedUp: boolean;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Everything about one user that a login or a factor change decides on, read in one query. */
export interface Account {
  profile: UserProfile;
  totp?: TotpFactor;
  recovery?: RecoveryCodeSet;
  /** Registered security keys, oldest first. */
  securityKeys: SecurityKey[];
  attempts: Partial<Record<LockScope, AttemptState>>;
  /** Trusted devices that are neither revoked nor expired as stored (the caller still checks expiry against its clock), oldest first. */
  devices: TrustedDevice[];
  /**
   * Bumped by every change of the factors or the recovery set: a write that decides on the factors
   * as read (is this the last factor? which set is being replaced?) is conditioned on it.
   */
  factorsVersion: number;
  /** Teams whose enforcement holds this user now (their holds on the FACTORS item). */
  enforcedBy: string[];
  /** Bumped by every change of the holds: a change that leaves no factor requires it unchanged. */
  holdsVersion: number;
  /**
   * The login challenges waiting for this user's second factor, as stored (expired ones too, until
   * the next login prunes them): they sit with the factors, so this one read finds them.
   */
  challenges: Challenge[];
}

export interface BrowserIdentity {
  family: string;
  major: string;
}

/** A browser on a network that earned trust by a second factor; its token is stored only as a hash. */
export interface TrustedDevice {
  id: string;
  userId: string;
  tokenHash: string;
  browser: BrowserIdentity;
  network: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
}

export type DeviceRevocationReason = "user" | "all" | "changed" | "replaced" | "factor_changed";

/** Trusted devices, one item each in their user's partition (so `Accounts.load` reads them with the account). */
export interface TrustedDevices {
  add(device: TrustedDevice, owed: readonly DomainEvent[]): Promise<void>;
  /** The user's live devices, oldest first, one page at a time. */
  list(userId: string, now: Date, page: PageRequest): Promise<Page<TrustedDevice>>;
  recordUse(device: TrustedDevice, at: Date): Promise<void>;
  /** Revokes a live device and owes `owed`; false when it was not live (so a repeat owes nothing). */
  revoke(userId: string, deviceId: string, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Notes that the device came back changed, owing the DeviceChanged whose consumer revokes it. */
  reportChange(device: TrustedDevice, at: Date, owed: readonly DomainEvent[]): Promise<void>;
}

export interface Accounts {
  /** Creates the user; throws EmailTakenError when the email is claimed. */
  create(profile: UserProfile, passwordHash: string): Promise<void>;
  findCredentials(email: string): Promise<{ userId: string; passwordHash: string } | undefined>;
  load(userId: string): Promise<Account | undefined>;
}

/** How many wrong answers a scope allows before it locks, and for how long. */
export interface Budget {
  scope: LockScope;
  maxFailures: number;
  lockSeconds: number;
}

/**
 * Per-account failure budgets, each decided by one conditional write. The second factor's budget
 * lives on the same item as every second-factor claim (SecondFactors), so that a right answer's
 * claim and the budget are decided by one write too.
 */
export interface Attempts {
  /**
   * Counts one wrong answer unless the budget is locked or spent (one conditional increment) and
   * answers the count after it, or undefined when refused. `owed` is recorded only with a counted failure.
   */
  countFailure(userId: string, budget: Budget, now: Date, owed: readonly DomainEvent[]): Promise<number | undefined>;
  /** Locks until `until` and restarts the count, if the count still reaches the budget: once per lock. */
  lock(userId: string, budget: Budget, until: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  read(userId: string, scope: LockScope): Promise<AttemptState>;
  /** Ends a run of password failures (second-factor successes end theirs in their own write). */
  reset(userId: string, budget: Budget): Promise<void>;
}

/** What a right second factor claims, so that it works once: a TOTP step, a recovery code, a key's counter. */
export type Claim =
  | { kind: "totp_step"; step: number }
  | { kind: "recovery_code"; hash: string }
  | { kind: "key_counter"; keyId: string; counter: number }
  /** A change that needs no proof of its own (the session's recent authentication stands for it). */
  | { kind: "none" };

/** What a proven change does to the factors, in the same write as its claim. */
export type FactorEffect =
  | { kind: "none" }
  | { kind: "activate_totp"; sealedSecret: string; recoveryCodeHashes: readonly string[] }
  | { kind: "disable_totp"; clearRecoveryCodes: boolean }
  | { kind: "replace_recovery_codes"; recoveryCodeHashes: readonly string[] }
  | { kind: "add_key"; key: SecurityKey; recoveryCodeHashes?: readonly string[] }
  | { kind: "remove_key"; keyId: string; clearRecoveryCodes: boolean }
  /** An admin reset (a lost phone): the app, every key and the recovery set go in one write. */
  | { kind: "reset_all"; keyIds: readonly string[] };

export interface FactorChange {
  claim: Claim;
  effect: FactorEffect;
  /** The factorsVersion the change was decided on; effects other than `none` require it unchanged. */
  expectedVersion?: number;
  /**
   * The holdsVersion the change was decided on: a change that leaves no factor (decided because no
   * team held the user) requires it unchanged, so a team's hold arriving meanwhile makes it lose.
   */
  expectedHolds?: number;
  /**
   * The login challenge (its id hash) that this proof completes: the write requires it live at `at`
   * and removes it, so the claim and the challenge's single use are one write.
   */
  challenge?: string;
  at: Date;
}

/**
 * Why a change was not written: the budget is locked or spent; the claim was already used (a
 * replayed step or code, a counter that did not rise); the login challenge it completes is used or
 * expired; or the factors changed since they were read.
 */
export type ChangeResult = "applied" | "locked" | "claim_used" | "challenge_used" | "conflict";

/**
 * A user's second factors — the authenticator app, the recovery set, the security keys — and the
 * second-factor attempt budget, on one item: every claim, its budget check, the reset of the count
 * and the change it proves are one conditional write.
 */
export interface SecondFactors {
  /** Stores a new pending secret; throws TotpAlreadyEnabledError when TOTP is active. */
  savePendingTotp(userId: string, sealedSecret: string, at: Date): Promise<void>;
  /** Applies a change under the second-factor budget `budget`, owing `owed` in the same write. */
  apply(userId: string, change: FactorChange, budget: Budget, owed: readonly DomainEvent[]): Promise<ChangeResult>;
  /** Renames a registered key; undefined when it is not registered. */
  renameKey(userId: string, keyId: string, name: string): Promise<SecurityKey | undefined>;
  /** Notes a suspected clone on the key and owes the report. */
  reportClone(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<void>;
}

/**
 * Every security key's credential id, claimed once across all accounts (WebAuthn §7.1 step 22: a
 * credential already registered to any user is refused).
 */
export interface CredentialClaims {
  /** True when the credential is now, or already was, this user's; false when another user holds it. */
  claim(credentialId: string, userId: string): Promise<boolean>;
  /** Frees the credential (its key was removed), if it is still this user's. */
  release(credentialId: string, userId: string): Promise<void>;
}

/** Failures counted per network (IPv4 /24, IPv6 /48) across all accounts, in fixed windows. */
export interface NetworkBudgets {
  /** Seconds until the network's spent window ends; 0 when it may still be checked. */
  refusedFor(network: string, limit: number, now: Date): Promise<number>;
  /**
   * Counts one wrong answer unless the window is spent (a new window starts once the last one has
   * ended); answers the count after it, or undefined when refused.
   */
  countFailure(network: string, limit: number, windowSeconds: number, now: Date): Promise<number | undefined>;
  /** Takes back a counted failure whose check was refused after all (the account's budget was spent). */
  uncount(network: string): Promise<void>;
}

export type WebAuthnCeremony = "registration" | "authentication" | "reauthentication";

/** A challenge handed to a browser; stored by the SHA-256 of its value, so the value alone finds it. */
export interface WebAuthnChallenge {
  challengeHash: string;
  ceremony: WebAuthnCeremony;
  userId: string;
  /** What an assertion answers: the hash of the login challenge, or of the session being reauthenticated. */
  boundTo?: string;
  expiresAt: string;
}

export interface WebAuthnChallenges {
  create(challenge: WebAuthnChallenge): Promise<void>;
  find(challengeHash: string, now: Date): Promise<WebAuthnChallenge | undefined>;
  /** Deletes the challenge if it still exists (conditional delete): a replayed response loses here. */
  consume(challengeHash: string): Promise<boolean>;
}

export type SecondFactorMethod = "totp" | "webauthn" | "recovery_code";

/** A login waiting for its second factor. Its id names the user (`<userId>.<secret>`); only the id's SHA-256 is stored. */
export interface Challenge {
  idHash: string;
  userId: string;
  methods: SecondFactorMethod[];
  createdAt: string;
  expiresAt: string;
}

/**
 * Login challenges, kept with the user's second factors: `Accounts.load` reads them, and the
 * proof that completes one removes it in its own write (`FactorChange.challenge`).
 */
export interface Challenges {
  /** Stores the challenge, and removes the user's challenges `prune` (id hashes) in the same write. */
  create(challenge: Challenge, prune: readonly string[]): Promise<void>;
}

export type SessionScope = "full" | "setup";

export interface Session {
  tokenHash: string;
  userId: string;
  scope: SessionScope;
  createdAt: string;
  expiresAt: string;
  /** When this session last proved a second factor (a 2FA login, an activation, a reauthentication). */
  secondFactorAt?: string;
}

/** Sessions live in their user's own partition, so that all of a user's sessions can be ended. */
export interface Sessions {
  create(session: Session, owed: readonly DomainEvent[]): Promise<void>;
  find(userId: string, tokenHash: string, now: Date): Promise<Session | undefined>;
  revoke(session: Session, at: Date): Promise<void>;
  /** Records a fresh second-factor proof on a live session; a session that proved a factor is a full one. */
  markSecondFactor(session: Session, at: Date): Promise<void>;
  /** Narrows a live session to setup, or widens it back to full (a team's hold came or went). */
  rescope(session: Session, scope: SessionScope): Promise<void>;
  /** The user's live sessions. */
  listLive(userId: string, now: Date): Promise<Session[]>;
}

export interface AuditEntry {
  eventId: string;
  type: string;
  occurredAt: string;
  actor: string;
  userId?: string;
  teamId?: string;
  ip?: string;
  userAgent?: string;
  detail: Record<string, unknown>;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AuditLog {
  /** Stores the entry once per eventId; answers false for a repeat. */
  append(entry: AuditEntry): Promise<boolean>;
  /** Newest first. Throws InvalidCursorError for a cursor it did not issue. */
  listForUser(userId: string, page: PageRequest): Promise<Page<AuditEntry>>;
  /** Stores the entry once per eventId in the team's log. */
  appendToTeam(teamId: string, entry: AuditEntry): Promise<boolean>;
  /** The team's log, newest first, filtered; throws InvalidCursorError for a cursor it did not issue. */
  listForTeam(teamId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

export interface AuditFilter {
  type?: string;
  userId?: string;
  /** Inclusive ISO-8601 bounds on occurredAt. */
  since?: string;
  until?: string;
}

export type TeamRole = "owner" | "admin" | "member" | "auditor";

export interface Member {
  userId: string;
  email: string;
  role: TeamRole;
  joinedAt: string;
}

export type RolloutState = "pending" | "running" | "complete";

/** The fan-out's progress, kept on the team item; `cursor` is where the next page starts. */
export interface Rollout {
  state: RolloutState;
  membersTotal: number;
  membersProcessed: number;
  membersNeedingSetup: number;
  completedAt: string | null;
  cursor: string | null;
}

export interface Enforcement {
  enabled: boolean;
  enabledAt: string | null;
  enabledBy: string | null;
  /** Bumped by every change: a rollout works for its generation only. */
  generation: number;
  rollout: Rollout;
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
  memberCount: number;
  ownerCount: number;
  enforcement: Enforcement;
}

/** Where a user belongs (their side of a membership), for the team audit log: from joining to leaving. */
export interface Membership {
  teamId: string;
  role: TeamRole;
  joinedAt: string;
  leftAt?: string;
}

export type RemoveResult = "removed" | "not_member" | "last_owner";

/**
 * Teams, their members (a page at a time) and the enforcement state with its rollout. Each
 * invariant is one conditional write on one item: the last owner (a conditional decrement of
 * `ownerCount`), a member once (a conditional put), a rollout page once (the checkpoint is
 * conditioned on the generation and the cursor it started from).
 */
export interface Teams {
  create(team: Pick<Team, "id" | "name" | "createdAt">, owner: Member, owed: readonly DomainEvent[]): Promise<void>;
  get(teamId: string): Promise<Team | undefined>;
  member(teamId: string, userId: string): Promise<Member | undefined>;
  listMembers(teamId: string, page: PageRequest): Promise<Page<Member>>;
  /** At most `limit` members after `cursor` (exclusive), in a stable order; `last` is the new cursor. */
  membersAfter(teamId: string, cursor: string | null, limit: number): Promise<{ members: Member[]; last: string | null; more: boolean }>;
  /** False when the user is already a member. */
  addMember(teamId: string, member: Member, owed: readonly DomainEvent[]): Promise<boolean>;
  removeMember(teamId: string, member: Member, at: Date, owed: readonly DomainEvent[]): Promise<RemoveResult>;
  /** Writes the new enforcement if the generation is still `expectedGeneration`. */
  changeEnforcement(teamId: string, expectedGeneration: number, next: Enforcement, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Records a page's progress if the rollout of `generation` is still at `from`; false when another did it. */
  checkpoint(teamId: string, generation: number, from: string | null, next: Rollout, owed: readonly DomainEvent[]): Promise<boolean>;
  membershipsOf(userId: string): Promise<Membership[]>;
}

/** One member's standing with respect to team enforcement, as stored with their factors. */
export interface HoldState {
  twoFactorEnabled: boolean;
  factorsVersion: number;
  /** Teams holding the member now. */
  enforcedBy: string[];
  /** The generation of this team's hold as stored (it may be newer than the caller's). */
  generation: number;
  /** Who flagged the member for setup under that generation, if anyone. */
  flaggedBy?: FlagReason;
}

export type FlagReason = "enforcement" | "joined" | "reset";

/**
 * Each team's hold on a member, on the member's FACTORS item (so that their factors and the holds
 * on them are read in one go, and a flag can be conditioned on the factors as read). A hold write
 * carries the enforcement generation: an older rollout's late write cannot undo a newer one's.
 */
export interface EnforcementHolds {
  /**
   * Sets (`on`) or releases this team's hold at `generation` unless a newer one is stored; answers
   * the state after. With `flag`, a member who certainly has no factor is flagged in the same write.
   */
  hold(userId: string, teamId: string, generation: number, on: boolean, flag?: { reason: FlagReason; owed: readonly DomainEvent[] }): Promise<HoldState>;
  /** Marks the held member flagged for setup, if still held at `generation`, unflagged and with the factors as read. */
  flag(userId: string, teamId: string, generation: number, reason: FlagReason, factorsVersion: number, owed: readonly DomainEvent[]): Promise<boolean>;
  /** The member's standing; without `teamId`, `generation` and `flaggedBy` say nothing. */
  read(userId: string, teamId?: string): Promise<HoldState>;
}
