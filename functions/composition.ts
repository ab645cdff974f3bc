import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { KMSClient } from "@aws-sdk/client-kms";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  AccountsStore, AttemptsStore, AuditLogStore, ChallengesStore, CredentialClaimsStore, EncryptionSdkVault, EventBridgePublisher,
  FactorsStore, HeldEvents, HIERARCHY_PROVIDER_ID, InvitationsStore, MailLogStore, MailRateStore, MailSuppressionsStore, MembershipsStore,
  NetworkBudgetsStore, Outbox, OutboxBacklog, OutboxRelay, ResetTimersStore, SesMailSender, SessionsStore, Table, TeamsStore,
  TrustedDevicesStore, WebAuthnChallengesStore, branchKeyStore, hierarchicalKeyring, kmsKeyring, rawAesKeyring,
} from "@twofactor/aws";
import type { Clock, Deps, MailSender, PasswordHasher, SecretVault } from "@twofactor/core";
import { policyOf, readConfig, type RuntimeConfig } from "./config.js";
import { countOwed } from "./metered-events.js";
import { argon2PasswordHasher } from "./password-hasher.js";

/**
 * The composition root: the one place that reads the configuration (config.ts) and picks adapters.
 *
 * Each part is a function that builds it on first use and keeps it for the life of the process (a
 * Lambda container). A handler calls only what its use case needs — `deps()` through `route` or
 * `consume`, `vault()` or `passwords()` where it seals, opens or hashes, `mailer()` where it mails —
 * so esbuild keeps in each bundle only those parts and the libraries behind them: no Encryption SDK
 * in login, no argon2 in the TOTP challenge, no DynamoDB client in health, no SES client outside
 * the notifier. Hence functions, not a table of factories: a table would reference every part from
 * every bundle.
 */

interface Built {
  config?: RuntimeConfig;
  dynamoClient?: DynamoDBDocumentClient;
  eventBridgeClient?: EventBridgeClient;
  table?: Table;
  outbox?: Outbox;
  publisher?: EventBridgePublisher;
  outboxBacklog?: OutboxBacklog;
  outboxRelay?: OutboxRelay;
  deps?: Deps;
  vault?: SecretVault;
  passwords?: PasswordHasher;
  mailer?: MailSender;
}

/** What the local runtime may give in place of the deployed choices when it starts fresh. */
export interface Replacements {
  /** The time the use cases read; the wall clock by default. */
  clock?: Clock;
  /** How passwords are hashed and checked; argon2id at OWASP's parameters by default. */
  passwords?: PasswordHasher;
  /** Wraps the vault the configuration builds (a test recording each seal and open). */
  wrapVault?: (vault: SecretVault) => SecretVault;
  /** Where the notifier hands its mails; SES by default (the local runtime writes `.eml` files). */
  mailer?: MailSender;
}

const wallClock: Clock = { now: () => new Date() };

/** This cold start's parts, and the replacements it was started with. */
let built: Built = {};
let replacements: Replacements = {};

// ── What the handlers get ────────────────────────────────────────────────────────────────────────

/** The stores, the clock and the policy: what every use case may touch. */
export function deps(): Deps {
  return (built.deps ??= {
    clock: replacements.clock ?? wallClock,
    accounts: new AccountsStore(table()),
    attempts: new AttemptsStore(table(), outbox()),
    networks: new NetworkBudgetsStore(table()),
    factors: new FactorsStore(table(), outbox()),
    credentials: new CredentialClaimsStore(table()),
    devices: new TrustedDevicesStore(table(), outbox()),
    challenges: new ChallengesStore(table()),
    webauthnChallenges: new WebAuthnChallengesStore(table()),
    sessions: new SessionsStore(table(), outbox()),
    auditLog: new AuditLogStore(table(), { days: config().AUDIT_RETENTION_DAYS, clock: replacements.clock ?? wallClock }),
    teams: new TeamsStore(table(), outbox()),
    memberships: new MembershipsStore(table(), outbox()),
    invitations: new InvitationsStore(table(), outbox()),
    resetTimers: new ResetTimersStore(table()),
    mailLog: new MailLogStore(table()),
    mailRate: new MailRateStore(table(), new HeldEvents(table(), config().OUTBOX_SHARDS)),
    mailSuppressions: new MailSuppressionsStore(table()),
    policy: policyOf(config()),
  });
}

/** Only for the handlers that seal or open a TOTP secret (their roles hold the key grant). */
export function vault(): SecretVault {
  return (built.vault ??= (replacements.wrapVault ?? ((sealer) => sealer))(vaultFor(config())));
}

/** Only for the handlers that hash or check a password (their assets carry the argon2 addon). */
export function passwords(): PasswordHasher {
  return (built.passwords ??= replacements.passwords ?? argon2PasswordHasher);
}

/**
 * Only for the notifier (its role alone may send): SES through the stage's configuration set. One
 * attempt per send, because SendEmail is not idempotent: the queue retries what SES refused.
 */
export function mailer(): MailSender {
  return (built.mailer ??= replacements.mailer ?? new SesMailSender(new SESv2Client({ maxAttempts: 1 }), config().MAIL_CONFIGURATION_SET));
}

/** The environment's settings, parsed once per cold start. */
export function config(): RuntimeConfig {
  return (built.config ??= readConfig());
}

/**
 * Where state changes record the events they owe (the table's stream carries them to the relay);
 * the metered ones are counted as metrics by the function whose write stored them.
 */
export function outbox(): Outbox {
  return (built.outbox ??= new Outbox(table(), { onOwed: countOwed }));
}

/** Only for the relay and the sweep: the functions that publish. */
export function publisher(): EventBridgePublisher {
  return (built.publisher ??= new EventBridgePublisher(eventBridgeClient(), config().EVENT_BUS_NAME));
}

/** What the relay could not publish, for the sweep. */
export function outboxBacklog(): OutboxBacklog {
  return (built.outboxBacklog ??= new OutboxBacklog(table(), publisher(), { shards: config().OUTBOX_SHARDS }));
}

/** Publishes what the table's stream shows the writes owe. */
export function outboxRelay(): OutboxRelay {
  return (built.outboxRelay ??= new OutboxRelay(publisher(), outboxBacklog()));
}

// ── What they are built from ─────────────────────────────────────────────────────────────────────

/** On AWS the regional endpoints; locally the stand-ins on loopback. */
const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});

export function table(): Table {
  return (built.table ??= new Table(dynamoClient(), config().TABLE_NAME));
}

export function dynamoClient(): DynamoDBDocumentClient {
  return (built.dynamoClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(endpoint(config().DYNAMODB_ENDPOINT)), {
    marshallOptions: { removeUndefinedValues: true },
  }));
}

export function eventBridgeClient(): EventBridgeClient {
  return (built.eventBridgeClient ??= new EventBridgeClient(endpoint(config().EVENTBRIDGE_ENDPOINT)));
}

/**
 * The secret vault for a configuration. With a branch key store (on AWS and locally): the KMS
 * hierarchical keyring seals, and secrets sealed before it (by the plain KMS keyring on AWS, by the
 * local key file's raw AES keyring locally) still open. Without one: the plain KMS keyring, or the
 * key file alone.
 */
export function vaultFor(config: RuntimeConfig): EncryptionSdkVault {
  const keyFile = config.LOCAL_KEY_FILE ? [rawAesKeyring(readFileSync(config.LOCAL_KEY_FILE))] : [];
  if (!config.KMS_KEY_ARN) return new EncryptionSdkVault(keyFile[0]!);
  const plainKms = kmsKeyring(config.KMS_KEY_ARN, endpoint(config.KMS_ENDPOINT));
  if (!config.BRANCH_KEY_TABLE_NAME) return new EncryptionSdkVault(plainKms, { olderKeyrings: keyFile });

  const region = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(config.KMS_KEY_ARN)?.[1];
  const store = branchKeyStore({
    tableName: config.BRANCH_KEY_TABLE_NAME,
    kmsKeyArn: config.KMS_KEY_ARN,
    kms: new KMSClient({ ...(region ? { region } : {}), ...endpoint(config.KMS_ENDPOINT) }),
    dynamodb: new DynamoDBClient(endpoint(config.DYNAMODB_ENDPOINT)),
  });
  return new EncryptionSdkVault(hierarchicalKeyring(store, config.BRANCH_KEY_ID), {
    olderKeyrings: [plainKms, ...keyFile],
    providerId: HIERARCHY_PROVIDER_ID,
  });
}

// ── Starting fresh ───────────────────────────────────────────────────────────────────────────────

/**
 * A new cold start in this process: every part is built anew on next use, from the environment as
 * it is then and with `replacements`. The one way to start fresh: the local runtime calls it when it
 * starts and when asked for a cold start (`LocalRuntime.coldStart()`); Lambda never needs it.
 */
export function startFresh(next: Replacements = {}): void {
  built = {};
  replacements = next;
}
