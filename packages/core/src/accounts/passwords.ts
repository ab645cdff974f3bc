import { hash, verify } from "@node-rs/argon2";

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane (the library's default algorithm is argon2id). */
const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP_ARGON2ID);
}

let decoy: Promise<string> | undefined;

/**
 * Verifies a password; with no stored hash (unknown email) it verifies against a decoy hash of the
 * same cost, so that both failures take the same time.
 */
export async function passwordMatches(storedHash: string | undefined, password: string): Promise<boolean> {
  decoy ??= hashPassword("decoy password that matches nothing");
  const matched = await verify(storedHash ?? (await decoy), password);
  return storedHash !== undefined && matched;
}
