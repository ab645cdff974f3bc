import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  AccountsStore, AttemptsStore, AuditLogStore, ChallengesStore, CredentialClaimsStore, EventBridgePublisher,
  FactorsStore, HoldsStore, NetworkBudgetsStore, Outbox, SessionsStore, Table, TeamsStore, TrustedDevicesStore, WebAuthnChallengesStore,
} from "@twofactor/aws";
import type { Clock, Deps } from "@twofactor/core";
import { logger } from "@twofactor/http";
import { policyOf, type RuntimeConfig } from "./config.js";
import { vaultFor } from "./vault.js";

/** A composed runtime: the use cases' dependencies, and what the local runtime and the scheduled sweep reach into. */
export interface Runtime {
  deps: Deps;
  outbox: Outbox;
  table: Table;
  config: RuntimeConfig;
  /** The SDK clients the adapters call through (their middleware stacks are where calls can be observed). */
  clients: { dynamodb: DynamoDBDocumentClient; eventBridge: EventBridgeClient };
}

/** The AWS adapters for a configuration: on AWS the stacks' table, key and bus; locally endpoints on loopback and a key file. */
export function composeRuntime(config: RuntimeConfig, clock: Clock): Runtime {
  const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint(config.DYNAMODB_ENDPOINT)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const table = new Table(dynamo, config.TABLE_NAME);
  const eventBridge = new EventBridgeClient(endpoint(config.EVENTBRIDGE_ENDPOINT));
  const publisher = new EventBridgePublisher(eventBridge, config.EVENT_BUS_NAME);
  const outbox = new Outbox(table, publisher, {
    shards: config.OUTBOX_SHARDS,
    onPublishError: (error) => logger.warn("events left for the outbox sweep", { error }),
  });
  const deps: Deps = {
    clock,
    vault: vaultFor(config),
    accounts: new AccountsStore(table),
    attempts: new AttemptsStore(table, outbox),
    networks: new NetworkBudgetsStore(table),
    factors: new FactorsStore(table, outbox),
    credentials: new CredentialClaimsStore(table),
    devices: new TrustedDevicesStore(table, outbox),
    challenges: new ChallengesStore(table),
    webauthnChallenges: new WebAuthnChallengesStore(table),
    sessions: new SessionsStore(table, outbox),
    auditLog: new AuditLogStore(table),
    teams: new TeamsStore(table, outbox),
    holds: new HoldsStore(table, outbox),
    policy: policyOf(config),
  };
  return { deps, outbox, table, config, clients: { dynamodb: dynamo, eventBridge } };
}
