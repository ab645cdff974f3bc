import { randomBytes } from "node:crypto";
import type { SecurityKey } from "@twofactor/core";
import type { LocalRuntime } from "@twofactor/local";

/** A security key as a registration stores it (a real registration needs a browser: webauthn.test.ts). */
export function aSecurityKey(name = "Yubi"): SecurityKey {
  return {
    id: randomBytes(16).toString("base64url"), publicKey: randomBytes(77).toString("base64url"), counter: 0, transports: ["usb"],
    aaguid: "00000000-0000-0000-0000-000000000000", backedUp: false, name, createdAt: new Date().toISOString(), lastUsedAt: null,
  };
}

/** Adds the key through the factors store, on the version the account has now; answers it. */
export async function addKeyThroughStore(system: LocalRuntime, userId: string, key: SecurityKey = aSecurityKey()): Promise<SecurityKey> {
  const { accounts, factors } = system.runtime.deps;
  const account = await accounts.load(userId);
  const budget = { scope: "second_factor", maxFailures: 5, lockSeconds: 900 } as const;
  const change = { expectedVersion: account?.factorsVersion ?? 0, expectedEpoch: account?.epoch ?? 0, at: new Date() };
  const result = await factors.apply(userId, { claim: { kind: "none" }, effect: { kind: "add_key", key }, ...change }, budget, []);
  if (result !== "applied") throw new Error(`adding a key through the store: ${result}`);
  return key;
}
