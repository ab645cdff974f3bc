import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A local stand-in for a KMS key: 32 random bytes, made on first start, readable by the owner only.
 * `local-kms.key` backs the local KMS (the branch keys); `local-master.key` is the raw AES key that
 * sealed secrets before the hierarchical keyring, kept to open them. Losing either makes the secrets
 * it protects unreadable, exactly as deleting a KMS key would.
 */
export function ensureKeyFile(dataDir: string, name: "local-master.key" | "local-kms.key" = "local-master.key"): string {
  const path = join(dataDir, name);
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600, flag: "wx" });
  if (readFileSync(path).length !== 32) throw new Error(`${path} is not a 32-byte AES key`);
  return path;
}
