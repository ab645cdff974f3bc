import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { Outbox, Table } from "@twofactor/aws";
import type { Deps, PasswordHasher, SecretVault } from "@twofactor/core";
import { dynamoClientFor, eventBridgeClientFor, outboxFor, storesFor, tableFor } from "./adapters.js";
import { readConfig, type RuntimeConfig } from "./config.js";
import { clock, part } from "./parts.js";
import { argon2PasswordHasher } from "./password-hasher.js";
import { vaultFor } from "./vault.js";

/**
 * The composition root: the one place that reads the configuration and picks adapters. It is a
 * function per part, each built on first use and kept for the life of the process (a Lambda
 * container), rather than one object holding everything: a handler names the parts it uses
 * (`deps()`, and `vault()` or `passwords()` only where its use case seals, opens or hashes), so
 * esbuild keeps in each function's bundle only those parts and the libraries behind them — no
 * Encryption SDK in the login, no argon2 addon in the TOTP challenge, no DynamoDB client in
 * `health`. Function declarations, not a table of factories: a table would reference every part
 * from every bundle. The configuration is read once, with the first part built (parts.ts keeps them).
 */
export function config(): RuntimeConfig {
  return part("config", readConfig);
}

export function dynamoClient(): DynamoDBDocumentClient {
  return part("dynamodb", () => dynamoClientFor(config()));
}

export function eventBridgeClient(): EventBridgeClient {
  return part("eventBridge", () => eventBridgeClientFor(config()));
}

export function table(): Table {
  return part("table", () => tableFor(config(), dynamoClient()));
}

export function outbox(): Outbox {
  return part("outbox", () => outboxFor(config(), table(), eventBridgeClient()));
}

/** The stores, the clock and the policy: what every use case may touch. */
export function deps(): Deps {
  return part("deps", () => storesFor(config(), table(), outbox(), clock()));
}

/** Only for the handlers that seal or open a TOTP secret (their roles hold the key grant). */
export function vault(): SecretVault {
  return part("vault", () => vaultFor(config()));
}

/** Only for the handlers that hash or check a password (their assets carry the argon2 addon). */
export function passwords(): PasswordHasher {
  return part("passwords", () => argon2PasswordHasher);
}
