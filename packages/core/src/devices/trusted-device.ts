import { deviceTrusted } from "../fence/fence.js";
import type { DeviceRevocationReason, SecurityState, TrustedDevice } from "../ports.js";
import { sha256 } from "../common/tokens.js";

/** The devices that skip the second factor now (fence.ts: in their lifetime, unchanged, no factor change since), oldest first. */
export function trustedDevices(devices: readonly TrustedDevice[], state: Pick<SecurityState, "factorsVersion">, now: Date): TrustedDevice[] {
  return devices.filter((device) => deviceTrusted(device, state, now));
}

/**
 * The device whose token was presented. A garbage, expired, revoked or other user's token
 * matches nothing: it is ignored, never an error. Tokens are compared by their SHA-256 as a lookup
 * key, so no secret is compared byte by byte.
 */
export function presentedDevice(devices: readonly TrustedDevice[], token: string | undefined): TrustedDevice | undefined {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const hash = sha256(token);
  return devices.find((device) => device.tokenHash === hash);
}

/**
 * Why a device that is still stored no longer trusts anything, as its TrustedDeviceRevoked will say;
 * undefined while it trusts, or when it simply outlived its time (expiry is no revocation).
 */
export function forgottenBecause(device: TrustedDevice, state: Pick<SecurityState, "factorsVersion">): DeviceRevocationReason | undefined {
  if (device.changedAt) return "changed";
  if (device.factorsVersion !== state.factorsVersion) return "factor_changed";
  return undefined;
}
