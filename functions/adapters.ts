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

/**
 * The AWS adapters for a configuration: on AWS the stacks' table, key and bus; locally endpoints on
 * loopback. The vault is vault.ts's. One small function per part, so that a bundle holds only the parts its
 * handler asks the composition root for (composition.ts).
 */
const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});

export function dynamoClientFor(config: RuntimeConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(endpoint(config.DYNAMODB_ENDPOINT)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function eventBridgeClientFor(config: RuntimeConfig): EventBridgeClient {
  return new EventBridgeClient(endpoint(config.EVENTBRIDGE_ENDPOINT));
}

export function tableFor(config: RuntimeConfig, dynamo: DynamoDBDocumentClient): Table {
  return new Table(dynamo, config.TABLE_NAME);
}

export function outboxFor(config: RuntimeConfig, table: Table, eventBridge: EventBridgeClient): Outbox {
  return new Outbox(table, new EventBridgePublisher(eventBridge, config.EVENT_BUS_NAME), {
    shards: config.OUTBOX_SHARDS,
    onPublishError: (error) => logger.warn("events left for the outbox sweep", { error }),
  });
}

/** Every store on the table (cheap: one class each over the shared client), the clock and the policy. */
export function storesFor(config: RuntimeConfig, table: Table, outbox: Outbox, clock: Clock): Deps {
  return {
    clock,
    accounts: new AccountsStore(table),
    attempts: new AttemptsStore(table, outbox),
    networks: new NetworkBudgetsStore(table),
    factors: new FactorsStore(table, outbox),
    credentials: new CredentialClaimsStore(table),
    devices: new TrustedDevicesStore(table, outbox),
    challenges: new ChallengesStore(table),
    webauthnChallenges: new WebAuthnChallengesStore(table),
    sessions: new SessionsStore(table, outbox),
    auditLog: new AuditLogStore(table, { days: config.AUDIT_RETENTION_DAYS, clock }),
    teams: new TeamsStore(table, outbox),
    holds: new HoldsStore(table, outbox),
    policy: policyOf(config),
  };
}
