import { hash, verify, type Options } from "@node-rs/argon2";
import type { PasswordHasher } from "@twofactor/core";

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane (the library's default algorithm is argon2id). */
const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * The PasswordHasher port on the native argon2 addon (external to the bundles; infra/functions.ts
 * installs its arm64 build), hashing with `cost`. Checking reads the cost from the stored hash.
 */
export function argon2idHasher(cost: Pick<Options, "memoryCost" | "timeCost" | "parallelism">): PasswordHasher {
  return {
    hash: (password) => hash(password, cost),
    verify: (stored, password) => verify(stored, password),
  };
}

/** What every deployed function and `npm start` hash with. */
export const argon2PasswordHasher: PasswordHasher = argon2idHasher(OWASP_ARGON2ID);
