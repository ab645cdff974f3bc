import type { SecurityKey } from "../ports.js";

/** A security key as the API shows it: never the public key or the counter. */
export interface SecurityKeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  transports: string[];
  /** Only on a key whose signature counter went backwards: it no longer signs in until removed. */
  cloneDetectedAt?: string;
}

export function toSecurityKeyView(key: SecurityKey): SecurityKeyView {
  return {
    id: key.id, name: key.name, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, transports: key.transports,
    ...(key.cloneDetectedAt ? { cloneDetectedAt: key.cloneDetectedAt } : {}),
  };
}

/** The user's key with this id; other users' keys are simply not found (docs/api.md: never leak existence). */
export function findKey(keys: readonly SecurityKey[], keyId: string): SecurityKey | undefined {
  return keys.find((key) => key.id === keyId);
}
