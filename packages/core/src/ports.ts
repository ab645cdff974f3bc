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
  /** Registered security keys, oldest first (removed ones are not listed). */
  securityKeys: SecurityKey[];
  attempts: Partial<Record<LockScope, AttemptState>>;
}

export interface Accounts {
  /** Creates the user; throws EmailTakenError when the email is claimed. */
  create(profile: UserProfile, passwordHash: string): Promise<void>;
  findCredentials(email: string): Promise<{ userId: string; passwordHash: string } | undefined>;
  load(userId: string): Promise<Account | undefined>;
}

export interface Attempts {
  /** Counts one more failure in a row and answers the count after it. */
  fail(userId: string, scope: LockScope, owed: readonly DomainEvent[]): Promise<number>;
  /** Locks until `until` and restarts the count, if the count still reaches `threshold`. */
  lock(userId: string, scope: LockScope, threshold: number, until: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  reset(userId: string, scope: LockScope): Promise<void>;
}

export interface TotpFactors {
  /** Stores a new pending secret; throws TotpAlreadyEnabledError when TOTP is active. */
  savePending(userId: string, sealedSecret: string, at: Date): Promise<void>;
  /** Activates exactly this pending secret if `step` is newer than any used step. */
  activate(userId: string, sealedSecret: string, step: number, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Claims `step` for an active factor: the replay guard. */
  useStep(userId: string, step: number): Promise<boolean>;
  /** Disables an active factor; the used-step guard survives for the next enrollment. */
  disable(userId: string, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
}

export interface RecoveryCodes {
  replace(userId: string, codeHashes: readonly string[], at: Date, owed: readonly DomainEvent[]): Promise<void>;
  /** Marks one unused code used. */
  use(userId: string, codeHash: string, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Voids every code (2FA went off), owing `owed` in the same write. */
  clear(userId: string, owed?: readonly DomainEvent[]): Promise<void>;
}

export interface SecurityKeys {
  /** Adds the key and owes `owed`; false when this credential is already registered to the user. */
  add(userId: string, key: SecurityKey, owed: readonly DomainEvent[]): Promise<boolean>;
  /** Renames a registered key; answers it renamed, or undefined when it is not registered. */
  rename(userId: string, keyId: string, name: string): Promise<SecurityKey | undefined>;
  /** Removes a registered key (it stays as a tombstone that owes `owed`); false when it was not registered. */
  remove(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<boolean>;
  /**
   * Records an assertion's counter: the write succeeds only if the counter rises (or stays 0 for an
   * authenticator without one), so that of two racing uses of one signature at most one passes.
   */
  recordUse(userId: string, keyId: string, counter: number, at: Date): Promise<boolean>;
  /** Notes a suspected clone on the key and owes the report. */
  reportClone(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<void>;
}

export type WebAuthnCeremony = "registration" | "authentication";

/** A challenge handed to a browser; stored by the SHA-256 of its value, so the value alone finds it. */
export interface WebAuthnChallenge {
  challengeHash: string;
  ceremony: WebAuthnCeremony;
  userId: string;
  /** For an authentication: the hash of the login challenge it belongs to. */
  loginChallengeHash?: string;
  expiresAt: string;
}

export interface WebAuthnChallenges {
  create(challenge: WebAuthnChallenge): Promise<void>;
  find(challengeHash: string, now: Date): Promise<WebAuthnChallenge | undefined>;
  /** Deletes the challenge if it still exists (conditional delete): a replayed response loses here. */
  consume(challengeHash: string): Promise<boolean>;
}

export type SecondFactorMethod = "totp" | "webauthn" | "recovery_code";

export interface Challenge {
  idHash: string;
  userId: string;
  methods: SecondFactorMethod[];
  createdAt: string;
  expiresAt: string;
}

export interface Challenges {
  create(challenge: Challenge): Promise<void>;
  find(idHash: string, now: Date): Promise<Challenge | undefined>;
  /** Deletes the challenge if it still exists: its first success. */
  consume(idHash: string): Promise<boolean>;
}

export type SessionScope = "full" | "setup";

export interface Session {
  tokenHash: string;
  userId: string;
  scope: SessionScope;
  createdAt: string;
  expiresAt: string;
}

export interface Sessions {
  create(session: Session, owed: readonly DomainEvent[]): Promise<void>;
  find(tokenHash: string, now: Date): Promise<Session | undefined>;
  revoke(tokenHash: string, at: Date): Promise<void>;
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
}
