import type { PasswordHasher } from "../ports.js";

/** One decoy hash per hasher (per cold start), made by the hasher itself so that it costs what a real one does. */
const decoys = new WeakMap<PasswordHasher, Promise<string>>();

/**
 * Verifies a password; with no stored hash (unknown email) it verifies against a decoy hash of the
 * same cost, so that both failures take the same time.
 */
export async function passwordMatches(passwords: PasswordHasher, storedHash: string | undefined, password: string): Promise<boolean> {
  let decoy = decoys.get(passwords);
  if (!decoy) decoys.set(passwords, (decoy = passwords.hash("decoy password that matches nothing")));
  const matched = await passwords.verify(storedHash ?? (await decoy), password);
  return storedHash !== undefined && matched;
}
