import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import {
  AccountsStore, AttemptsStore, AuditLogStore, ChallengesStore, EncryptionSdkVault, EventBridgePublisher, Outbox,
  RecoveryCodesStore, SecurityKeysStore, SessionsStore, Table, TotpStore, WebAuthnChallengesStore, kmsKeyring, rawAesKeyring,
} from "@twofactor/aws";
import { DEFAULT_POLICY, type Deps } from "@twofactor/core";
import { logger } from "@twofactor/http";

/**
 * The composition root: the one place that reads configuration and picks adapters. On AWS the
 * stacks set the table, key and bus; locally the embedded runtime sets endpoints on loopback and
 * a key file, and the same AWS adapters run against dynalite and the local bus.
 */
const Config = z.object({
  TABLE_NAME: z.string().min(1).default("twofactor"),
  DYNAMODB_ENDPOINT: z.url().optional(),
  EVENT_BUS_NAME: z.string().min(1).default("twofactor"),
  EVENTBRIDGE_ENDPOINT: z.url().optional(),
  KMS_KEY_ARN: z.string().min(1).optional(),
  LOCAL_KEY_FILE: z.string().min(1).optional(),
  TOTP_ISSUER: z.string().min(1).max(64).default(DEFAULT_POLICY.totpIssuer),
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_POLICY.sessionTtlSeconds),
  /** WebAuthn relying party: a registrable domain, the name browsers show, and the page origins allowed. */
  WEBAUTHN_RP_ID: z.string().min(1).max(253).default(DEFAULT_POLICY.relyingParty.id),
  WEBAUTHN_RP_NAME: z.string().min(1).max(64).default(DEFAULT_POLICY.relyingParty.name),
  WEBAUTHN_ORIGINS: z.string().min(1).default(DEFAULT_POLICY.relyingParty.origins.join(","))
    .transform((list) => list.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)),
}).refine((c) => c.KMS_KEY_ARN || c.LOCAL_KEY_FILE, "Set KMS_KEY_ARN (AWS) or LOCAL_KEY_FILE (local key ring).");

export type RuntimeConfig = z.infer<typeof Config>;

export interface Runtime {
  deps: Deps;
  outbox: Outbox;
  table: Table;
}

const runtimes = new Map<string, Runtime>();

/** The runtime for the current environment, built once per distinct configuration (once per Lambda container). */
export async function getRuntime(): Promise<Runtime> {
  const config = Config.parse(process.env);
  const id = JSON.stringify(config);
  let runtime = runtimes.get(id);
  if (!runtime) runtimes.set(id, (runtime = compose(config)));
  return runtime;
}

export async function getDeps(): Promise<Deps> {
  return (await getRuntime()).deps;
}

function compose(config: RuntimeConfig): Runtime {
  const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint(config.DYNAMODB_ENDPOINT)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const table = new Table(dynamo, config.TABLE_NAME);
  const publisher = new EventBridgePublisher(new EventBridgeClient(endpoint(config.EVENTBRIDGE_ENDPOINT)), config.EVENT_BUS_NAME);
  const outbox = new Outbox(table, publisher, (error) => logger.warn("events left for the outbox sweep", { error }));
  const keyring = config.KMS_KEY_ARN ? kmsKeyring(config.KMS_KEY_ARN) : rawAesKeyring(readFileSync(config.LOCAL_KEY_FILE!));

  const deps: Deps = {
    clock: { now: () => new Date() },
    vault: new EncryptionSdkVault(keyring),
    accounts: new AccountsStore(table),
    attempts: new AttemptsStore(table, outbox),
    totp: new TotpStore(outbox),
    recoveryCodes: new RecoveryCodesStore(outbox),
    securityKeys: new SecurityKeysStore(outbox),
    challenges: new ChallengesStore(table),
    webauthnChallenges: new WebAuthnChallengesStore(table),
    sessions: new SessionsStore(table, outbox),
    auditLog: new AuditLogStore(table),
    policy: {
      ...DEFAULT_POLICY,
      totpIssuer: config.TOTP_ISSUER,
      sessionTtlSeconds: config.SESSION_TTL_SECONDS,
      relyingParty: { id: config.WEBAUTHN_RP_ID, name: config.WEBAUTHN_RP_NAME, origins: config.WEBAUTHN_ORIGINS },
    },
  };
  return { deps, outbox, table };
}
