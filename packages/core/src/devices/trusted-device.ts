import type { Account, TrustedDevice } from "../ports.js";
import { sha256 } from "../shared/tokens.js";

/** The account's devices still within their lifetime, oldest first. */
export function liveDevices(account: Pick<Account, "devices">, now: Date): TrustedDevice[] {
  return account.devices.filter((device) => new Date(device.expiresAt) > now);
}

/**
 * The live device whose token was presented. A garbage, expired, revoked or other user's token
 * matches nothing: it is ignored, never an error. Tokens are compared by their SHA-256 as a lookup
 * key, so no secret is compared byte by byte.
 */
export function presentedDevice(live: readonly TrustedDevice[], token: string | undefined): TrustedDevice | undefined {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const hash = sha256(token);
  return live.find((device) => device.tokenHash === hash);
}
