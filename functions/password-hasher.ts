import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "@twofactor/core";

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane (the library's default algorithm is argon2id). */
const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The PasswordHasher port on the native argon2 addon (external to the bundles; infra/functions.ts installs its arm64 build). */
export const argon2PasswordHasher: PasswordHasher = {
  hash: (password) => hash(password, OWASP_ARGON2ID),
  verify: (stored, password) => verify(stored, password),
};
