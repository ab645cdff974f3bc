import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { Outbox, Table } from "@twofactor/aws";
import type { Clock, Deps, PasswordHasher, SecretVault } from "@twofactor/core";
import { config, deps, dynamoClient, eventBridgeClient, outbox, table, vault } from "./composition.js";
import { coldStart, replacePart } from "./parts.js";
import type { RuntimeConfig } from "./config.js";

/** A composed runtime, for the local runtime and tests that observe or reach into it. */
export interface Runtime {
  readonly config: RuntimeConfig;
  readonly deps: Deps;
  readonly outbox: Outbox;
  readonly table: Table;
  /** The SDK clients the adapters call through (their middleware stacks are where calls can be observed). */
  readonly clients: { dynamodb: DynamoDBDocumentClient; eventBridge: EventBridgeClient };
  /** Settable, so that a test can observe each seal and open. */
  vault: SecretVault;
}

/** What a local runtime may give its composition in place of the deployed choice. */
export interface Replacements {
  /** The time the use cases read; the wall clock by default. */
  clock?: Clock;
  /** How passwords are hashed and checked; argon2id with OWASP's parameters by default. */
  passwords?: PasswordHasher;
}

/**
 * A new cold start in this process, and a view of its parts: the local runtime calls this when it
 * starts (with the environment it has just set, and the clock and password hasher it was given).
 */
export function recompose({ clock, passwords }: Replacements = {}): Runtime {
  coldStart(clock);
  if (passwords) replacePart("passwords", passwords);
  return {
    get config() { return config(); },
    get deps() { return deps(); },
    get outbox() { return outbox(); },
    get table() { return table(); },
    get clients() { return { dynamodb: dynamoClient(), eventBridge: eventBridgeClient() }; },
    get vault() { return vault(); },
    set vault(next: SecretVault) { replacePart("vault", next); },
  };
}
