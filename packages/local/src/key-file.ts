import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The local stand-in for the KMS key: 32 random bytes, made on first start, readable by the owner
 * only. Losing it makes every stored TOTP secret unreadable, exactly as deleting a KMS key would.
 */
export function ensureKeyFile(dataDir: string): string {
  const path = join(dataDir, "local-master.key");
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600, flag: "wx" });
  if (readFileSync(path).length !== 32) throw new Error(`${path} is not a 32-byte AES key`);
  return path;
}
