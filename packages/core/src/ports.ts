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
  /** When a signature counter went backwards (a suspected clone): the key no longer signs in until removed. */
  cloneDetectedAt?: string;
}

/**
 * A team the user belongs to, as their FACTORS item records it: the user's side of the membership
 * (so that checks read it with the factors) and the team's enforcement as last written for them.
 */
export interface TeamEntry {
  teamId: string;
  role: TeamRole;
  /** When this membership began; it names the membership, so a write meant for an earlier one loses. */
  joinedAt: string;
  /** The enforcement generation last written for this member (0: none yet). */
  generation: number;
  /** The team enforces 2FA, as of `generation`. */
  enforcing: boolean;
  /** Joined, and not yet matched with the team's enforcement: held meanwhile (the safe side). */
  pending: boolean;
  /** Who flagged the member for setup under `generation`, if anyone (for the events, once). */
  flaggedBy?: FlagReason;
}

/** An admin's request to reset the user's 2FA, waiting for `effectiveAt` (a lost phone). */
export interface PendingReset {
  id: string;
  teamId: string;
  /** The membership it was requested under: leaving the team voids it. */
  joinedAt: string;
  requestedBy: string;
  requestedAt: string;
  effectiveAt: string;
}

/**
 * The user's security state, all on their FACTORS item: what every check compares with what it was
 * given (the fence), read in the same round trip as the thing checked.
 */
export interface SecurityState {
  /**
   * Moved by every change that ends all of the user's sessions and login challenges (2FA turned on,
   * a reset taking effect); each of them carries the epoch it was issued under.
   */
  epoch: number;
  /** The one session a move of the epoch keeps (the one that turned 2FA on), by token hash. */
  epochKeep?: string;
  /**
   * Bumped by every change of the factors or the recovery set: a write that decides on the factors
   * as read is conditioned on it, and a trusted device lives only under the version it was earned at.
   */
  factorsVersion: number;
  /** Bumped by every change of the teams' holds: a change that leaves no factor requires it unchanged. */
  holdsVersion: number;
  /** An authenticator app or a security key is active. */
  hasFactor: boolean;
  /** The teams the user belongs to, oldest membership first. */
  teams: TeamEntry[];
  /** Teams whose enforcement holds this user now (or may: a join not yet matched). */
  enforcedBy: string[];
  /** A reset requested and not taken effect yet, as stored (see fence.ts for when it has). */
  pendingReset?: PendingReset;
}

/** Everything about one user that a login or a factor change decides on, read in one query. */
export interface Account extends SecurityState {
  profile: UserProfile;
  totp?: TotpFactor;
  recovery?: RecoveryCodeSet;
  /** Registered security keys, oldest first. */
  securityKeys: SecurityKey[];
  attempts: Partial<Record<LockScope, AttemptState>>;
  /** Trusted devices as stored and not revoked (fence.ts decides which still skip the second factor), oldest first. */
  devices: TrustedDevice[];
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
  /** Which of the user's `maxTrustedDevices` places it holds: one conditional write per place keeps the cap. */
  slot: number;
  tokenHash: string;
  browser: BrowserIdentity;
  network: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  /** The factors version it was earned under: any factor change since makes it trust nothing. */
  factorsVersion: number;
  /** When it came back from another network or browser: it trusts nothing from then on. */
  changedAt?: string;
}

export type DeviceRevocationReason = "user" | "all" | "changed" | "replaced" | "factor_changed";

/**
 * Trusted devices, one item per place (`slot`) in their user's partition, so `Accounts.load` reads
 * them with the account and a user never has more than the places allow, however many remember at once.
 */
export interface TrustedDevices {
  /**
   * Puts `device` in its slot if the slot still holds `occupant` as read (or nothing, when
   * undefined), owing `owed`; false when another write took the slot first.
   */
  remember(device: TrustedDevice, occupant: TrustedDevice | undefined, owed: readonly DomainEvent[]): Promise<boolean>;
  /** The user's devices as stored and not revoked, oldest first (at most one per slot). */
  list(userId: string): Promise<TrustedDevice[]>;
  recordUse(device: TrustedDevice, at: Date): Promise<void>;
  /** Revokes the device if it still holds its slot, owing `owed`; false when it did not (so a repeat owes nothing). */
  revoke(device: TrustedDevice, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Notes that the device came back changed (it trusts nothing from then on), owing DeviceChanged. */
  reportChange(device: TrustedDevice, at: Date, owed: readonly DomainEvent[]): Promise<void>;
}

export interface Accounts {
  /** Creates the user; throws EmailTakenError when the email is claimed. */
  create(profile: UserProfile, passwordHash: string): Promise<void>;
  findCredentials(email: string): Promise<{ userId: string; passwordHash: string } | undefined>;
  load(userId: string): Promise<Account | undefined>;
  /** The profiles of those of `userIds` that exist (one round trip). */
  profiles(userIds: readonly string[]): Promise<UserProfile[]>;
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
  | { kind: "remove_key"; keyId: string; clearRecoveryCodes: boolean };

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
  /** The epoch the change was decided on: it loses to anything that moved it since (2FA turned on, a reset taking effect). */
  expectedEpoch: number;
  /** This change turns 2FA on: it moves the epoch, keeping only the session (its token hash) that made it. */
  turnsOnFor?: string;
  /**
   * The pending reset as read (its id): a proof cancels it in the same write. Without one, the write
   * only requires that no reset has taken effect.
   */
  cancelsReset?: string;
  at: Date;
}

/**
 * Why a change was not written: the budget is locked or spent; the claim was already used (a
 * replayed step or code, a counter that did not rise); the login challenge it completes is used or
 * expired; a reset was requested, cancelled or took effect since the read; or the factors changed.
 */
export type ChangeResult = "applied" | "locked" | "claim_used" | "challenge_used" | "reset_changed" | "conflict";

/** The factors as a reset taking effect read them: what its one write removes, and what it requires unchanged. */
export interface ResetTarget {
  reset: PendingReset;
  factorsVersion: number;
  epoch: number;
  keyIds: readonly string[];
  challengeHashes: readonly string[];
}

/**
 * A user's second factors — the authenticator app, the recovery set, the security keys — and the
 * second-factor attempt budget, on one item: every claim, its budget check, the reset of the count
 * and the change it proves are one conditional write.
 */
export interface SecondFactors {
  /** Stores a new pending secret; throws TotpAlreadyEnabledError when TOTP is active. */
  savePendingTotp(userId: string, sealedSecret: string): Promise<void>;
  /** Applies a change under the second-factor budget `budget`, owing `owed` in the same write. */
  apply(userId: string, change: FactorChange, budget: Budget, owed: readonly DomainEvent[]): Promise<ChangeResult>;
  /** Renames a registered key; undefined when it is not registered. */
  renameKey(userId: string, keyId: string, name: string): Promise<SecurityKey | undefined>;
  /** Notes a suspected clone on the key and owes the report. */
  reportClone(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<void>;
  /**
   * Records a reset request if none is pending and the user is still the member `reset.joinedAt`
   * names; "pending" when one already is, "not_member" when the membership is gone.
   */
  requestReset(userId: string, reset: PendingReset, owed: readonly DomainEvent[]): Promise<"requested" | "pending" | "not_member">;
  /**
   * Takes a due reset into effect in one write — the app, the keys, the recovery set and the
   * challenges go, the epoch and the factors version move — if the factors are still as read and
   * the reset still stands; false otherwise (another did it, or it was cancelled).
   */
  takeEffect(userId: string, target: ResetTarget, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
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
  /** To the second, as stored: every challenge lives as long, so this also orders them by age. */
  expiresAt: string;
  /** The user's epoch when it was issued: a reset taking effect or 2FA turned on ends it. */
  epoch: number;
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

/** A session as stored: its scope is not stored but derived from the user's state at each request (fence.ts). */
export interface Session {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  /** The user's epoch when it was issued: it ends when the epoch moves (fence.ts). */
  epoch: number;
  /** When this session last proved a second factor (a 2FA login, an activation, a reauthentication). */
  secondFactorAt?: string;
}

/**
 * Sessions live in their user's own partition, apart from the account that `Accounts.load` reads
 * whole; a lookup reads the session and the user's security state in one round trip.
 */
export interface Sessions {
  create(session: Session, owed: readonly DomainEvent[]): Promise<void>;
  /** The session (live as stored: not revoked, not expired) and the user's security state, read together. */
  lookup(userId: string, tokenHash: string, now: Date): Promise<{ session?: Session; state: SecurityState }>;
  /** The session alone (live as stored), for a request that reads the security state with the account beside it. */
  find(userId: string, tokenHash: string, now: Date): Promise<Session | undefined>;
  revoke(session: Session, at: Date): Promise<void>;
  /** Records a fresh second-factor proof on a live session, and the epoch it now lives under. */
  markSecondFactor(session: Session, at: Date, epoch: number): Promise<void>;
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

/**
 * The fan-out's summary on the team item: how many members it started with, and once complete the
 * totals and when. `updatedAt` is when it started or was last resumed; each segment keeps its own
 * progress (RolloutSegment), so that segments never write the same item.
 */
export interface Rollout {
  state: RolloutState;
  membersTotal: number;
  membersProcessed: number;
  membersNeedingSetup: number;
  completedAt: string | null;
  updatedAt: string | null;
  segmentCount: number;
}

/** One segment's checkpoint, on an item of its own: the generation it works for, its cursor and counts. */
export interface RolloutSegment {
  index: number;
  generation: number;
  cursor: string | null;
  done: boolean;
  processed: number;
  needingSetup: number;
  updatedAt: string;
}

/** What a segment's page moves it to, and adds to its counts. */
export interface RolloutProgress {
  cursor: string | null;
  done: boolean;
  processed: number;
  needingSetup: number;
}

/** A user-id range of a team's members: `from` inclusive, `to` exclusive; null is open. */
export interface MemberRange {
  from: string | null;
  to: string | null;
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

/** A membership in the user's history, for the team audit log: from joining to leaving. */
export interface Membership {
  teamId: string;
  role: TeamRole;
  joinedAt: string;
  leftAt?: string;
}

/**
 * The team's side: the team, its members (a page at a time), the enforcement with its rollout, and
 * each user's membership history. Each invariant is one conditional write on one item: the last owner
 * (a conditional decrement of `ownerCount`), a member item once per membership (a conditional put),
 * a rollout page once (the checkpoint is conditioned on the generation and the cursor it started from).
 */
export interface Teams {
  create(team: Pick<Team, "id" | "name" | "createdAt">, owner: Member, owed: readonly DomainEvent[]): Promise<void>;
  get(teamId: string): Promise<Team | undefined>;
  /** The teams that exist among `teamIds` (one round trip). */
  getMany(teamIds: readonly string[]): Promise<Team[]>;
  member(teamId: string, userId: string): Promise<Member | undefined>;
  listMembers(teamId: string, page: PageRequest): Promise<Page<Member>>;
  /**
   * At most `limit` members after `cursor` (exclusive), in a stable order, within `range` when given;
   * `last` is the new cursor.
   */
  membersAfter(teamId: string, cursor: string | null, limit: number, range?: MemberRange): Promise<{ members: Member[]; last: string | null; more: boolean }>;
  /**
   * The team's side of a join: the member item (once), the history and the counts. Answers the team
   * as it is after the member item was written, so that a rollout that began before this answer
   * is sure to list the member, and one that begins after is seen here.
   */
  addMember(teamId: string, member: Member): Promise<Team>;
  /** The team's side of a removal: the member item of that membership, the history, the count; false when it was gone. */
  removeMember(teamId: string, member: Member, at: Date): Promise<boolean>;
  /** Takes an owner off the count if another stays (a conditional decrement); false for the last owner. */
  releaseOwner(teamId: string): Promise<boolean>;
  /** Gives back an owner taken off the count by a removal that did not happen. */
  restoreOwner(teamId: string): Promise<void>;
  /** Writes the new enforcement if the generation is still `expectedGeneration`. */
  changeEnforcement(teamId: string, expectedGeneration: number, next: Enforcement, owed: readonly DomainEvent[]): Promise<boolean>;
  /** The segments' checkpoints as stored (of any generation: each index keeps its latest). */
  rolloutSegments(teamId: string): Promise<RolloutSegment[]>;
  /**
   * Records a segment's page if segment `index` of the rollout of `generation` is still at `from`
   * (null: not started): its cursor, its counts, the events the page owes. False when another
   * delivery did it, or a newer rollout took the segment.
   */
  checkpoint(teamId: string, generation: number, index: number, from: string | null, progress: RolloutProgress, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Marks the rollout of `generation` complete with its totals; false when it was already, or was superseded. */
  completeRollout(teamId: string, generation: number, totals: { processed: number; needingSetup: number }, at: Date): Promise<boolean>;
  /**
   * Sends a stalled rollout's continuations again, if it was not resumed since `seenUpdatedAt`
   * (of two sweeps, one does it); false otherwise.
   */
  resumeRollout(teamId: string, generation: number, seenUpdatedAt: string | null, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Watches the team's rollout of `generation` until it completes, so that one that stalls is found. */
  watchRollout(teamId: string, generation: number): Promise<void>;
  /** The watched rollouts, at most `limit`. */
  watchedRollouts(limit: number): Promise<{ teamId: string; generation: number }[]>;
  /** Stops watching the rollout of `generation` (a newer one stays watched). */
  unwatchRollout(teamId: string, generation: number): Promise<void>;
  membershipsOf(userId: string): Promise<Membership[]>;
}

export type FlagReason = "enforcement" | "joined" | "reset";

export type JoinResult = "joined" | "already_member" | "too_many_teams";

/**
 * The user's side of their memberships, on their FACTORS item (`TeamEntry`): what decides whether a
 * team holds them, read with their factors by every check. Writes for a membership name it by its
 * `joinedAt`, so that nothing meant for an earlier membership reaches a later one, and carry the
 * enforcement generation, so that an older rollout's late write cannot undo a newer one's.
 */
export interface Memberships {
  /**
   * Records a new membership, pending (held until matched with the team's enforcement), if the user
   * is not a member yet and belongs to fewer than `maxTeams` teams; owes `owed` in the same write.
   */
  join(userId: string, entry: Pick<TeamEntry, "teamId" | "role" | "joinedAt">, maxTeams: number, owed: readonly DomainEvent[]): Promise<JoinResult>;
  /**
   * Writes the team's enforcement at `generation` for the membership `joinedAt` unless a newer
   * generation is stored there; answers the state after, or undefined when that membership is gone.
   */
  match(userId: string, teamId: string, joinedAt: string, generation: number, enforcing: boolean): Promise<SecurityState | undefined>;
  /**
   * `match` for an enforcing generation and `flag` in one write, for a member read without a factor
   * at `factorsVersion`: undefined when its condition fails (the factors or the entry changed since
   * that read), and the caller decides again from `match`.
   */
  matchFlagged(
    userId: string, teamId: string, joinedAt: string, generation: number, reason: FlagReason, factorsVersion: number, owed: readonly DomainEvent[],
  ): Promise<SecurityState | undefined>;
  /** Marks the member flagged for setup at `generation`, once, if the factors are still the version read. */
  flag(userId: string, teamId: string, joinedAt: string, generation: number, reason: FlagReason, factorsVersion: number, owed: readonly DomainEvent[]): Promise<boolean>;
  /**
   * Ends the membership `joinedAt`, and with it, in the same write, the reset it voids
   * (`cancelsReset`: the id of the pending reset as read); "reset_changed" when that reset changed since.
   */
  leave(userId: string, teamId: string, joinedAt: string, cancelsReset: string | undefined, owed: readonly DomainEvent[]): Promise<"left" | "not_member" | "reset_changed">;
  read(userId: string): Promise<SecurityState>;
  /** The states of several users, read together (one round trip per 100). */
  readMany(userIds: readonly string[]): Promise<Map<string, SecurityState>>;
}

export interface Invitation {
  id: string;
  teamId: string;
  teamName: string;
  /** Normalised to lower case: matched with an account's email whatever its case. */
  email: string;
  role: TeamRole;
  invitedBy: string;
  invitedByName: string;
  createdAt: string;
  expiresAt: string;
}

export type InviteResult = "created" | "already_invited" | "too_many_invitations";

/**
 * Invitations, all of a team's on one item (so that its cap and one live invitation per address are
 * one conditional write), and a pointer per invitation under the invited address, for the invitee.
 */
export interface Invitations {
  /** Stores the invitation unless one is live for the address or `maxLive` are; owes `owed` with it. */
  create(invitation: Invitation, now: Date, maxLive: number, owed: readonly DomainEvent[]): Promise<InviteResult>;
  /** The team's live invitations, oldest first. */
  listForTeam(teamId: string, now: Date): Promise<Invitation[]>;
  /** The live invitation `invitationId` to `email`, if there is one. */
  findForEmail(email: string, invitationId: string, now: Date): Promise<Invitation | undefined>;
  /** The live invitations to `email`, oldest first, a page at a time. */
  listForEmail(email: string, now: Date, page: PageRequest): Promise<Page<Invitation>>;
  /** Removes the invitation if it is still there (accepted, declined, withdrawn), owing `owed`; false when it was not. */
  remove(invitation: Invitation, owed: readonly DomainEvent[]): Promise<boolean>;
}

/** A reset waiting for its time, so that it takes effect (and says so) even if the member never comes back. */
export interface DueReset {
  userId: string;
  resetId: string;
  effectiveAt: string;
}

export interface ResetTimers {
  schedule(due: DueReset): Promise<void>;
  /** Timers whose time has come, oldest first. */
  due(now: Date, limit: number): Promise<DueReset[]>;
  done(due: DueReset): Promise<void>;
}

/** Where a mail goes and what it is, beside the message bytes themselves. */
export interface MailEnvelope {
  from: string;
  to: string;
  /** The event it tells of: one mail per event at most. */
  eventId: string;
  /** When it is handed over. */
  at: Date;
}

/**
 * Hands over a message built once as RFC 5322 bytes: Amazon SES on AWS, an `.eml` file locally.
 * Throws MailNotSentError when the transport answered that it did not take the message (nothing
 * went out: trying again is safe); any other error leaves it unknown whether the message went.
 */
export interface MailSender {
  send(raw: Uint8Array, envelope: MailEnvelope): Promise<void>;
}

/** What became of an event's mail: sent, or not sent because the address bounced or the hour's rate was spent. */
export type MailOutcome = "sent" | "suppressed" | "dropped" | "unknown";

/** Each event's mail, claimed once by a conditional write before anything is sent. */
export interface MailLog {
  /** Claims the event's mail; false when it was claimed before (a redelivery, a replay): send nothing then. */
  claim(eventId: string, at: Date): Promise<boolean>;
  /** Records what became of the claimed mail. */
  settle(eventId: string, outcome: MailOutcome, at: Date): Promise<void>;
  /** Gives up a claim whose mail was not sent (the transport refused it, a store failed first), so a retry may send it. */
  release(eventId: string): Promise<void>;
  /** Which of these events were mailed (sent), for the security log. At most 100 ids. */
  mailed(eventIds: readonly string[]): Promise<Set<string>>;
}

/** One hour of mails to one address (a fixed window, UTC). */
export interface MailWindow {
  start: string;
  end: string;
}

/** Mails per address and hour, each counted by one conditional write, so that a burst cannot overdraw the rate. */
export interface MailRate {
  /** Counts one mail to `address` in `window` unless `limit` were counted there already; false when the window is spent. */
  take(address: string, window: MailWindow, limit: number): Promise<boolean>;
  /** Gives back a mail counted for a send the transport refused. */
  giveBack(address: string, window: MailWindow): Promise<void>;
  /**
   * Counts one mail not sent in the spent window and answers how many are now. With `summary`, the
   * window owes `summary(count)` (one event per address and window, rewritten by each drop with its
   * count), published once the window has ended.
   */
  drop(address: string, window: MailWindow, summary?: (count: number) => DomainEvent): Promise<number>;
}

export type SuppressionReason = "bounce" | "complaint";

/** Addresses that bounced hard or complained: not mailed again (a changed address is another address). */
export interface MailSuppressions {
  suppress(address: string, reason: SuppressionReason, at: Date): Promise<void>;
  isSuppressed(address: string): Promise<boolean>;
}
