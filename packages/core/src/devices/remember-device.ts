import type { Deps, RequestContext } from "../deps.js";
import type { Account, TrustedDevice } from "../ports.js";
import { newEvent } from "../common/events.js";
import { networkOf } from "../common/network.js";
import { addSeconds, secondsUntil } from "../common/time.js";
import { newId, newToken, sha256 } from "../common/tokens.js";
import { browserIdentity, deviceLabel } from "./browser-identity.js";
import { forgottenBecause, presentedDevice, trustedDevices } from "./trusted-device.js";

export interface RememberedDevice {
  token: string;
  maxAgeSeconds: number;
}

/** Tries before a remember gives up under contention (each try reads the slots again). */
const ATTEMPTS = 5;

/**
 * After a successful second factor with `rememberDevice`: trusts this browser on this network for
 * DEVICE_TRUST_MAX_AGE_SECONDS (absolute), under the factors version the login read. The token is
 * 256 random bits, stored only as its hash. A user's devices live in `maxTrustedDevices` slots, and
 * a device takes its slot by one conditional write on what the slot held as read — so neither the
 * cap nor the replacement rule can be overdrawn by concurrent remembers:
 * - presenting a live device's token replaces that device; of concurrent remembers with the same
 *   token the first replaces it, and the others sign in with no device (undefined);
 * - otherwise a free slot is taken, or, with every slot live, the least recently used device goes.
 */
export async function rememberDevice(
  deps: Pick<Deps, "devices" | "clock" | "policy">,
  account: Account,
  presentedToken: string | undefined,
  context: RequestContext,
): Promise<RememberedDevice | undefined> {
  const now = deps.clock.now();
  const userId = account.profile.id;
  const token = newToken();
  const identity = browserIdentity(context.userAgent);
  const at = { ...context, now };
  let devices = account.devices;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) devices = await deps.devices.list(userId);
    const trusted = trustedDevices(devices, account, now);
    const replaced = presentedDevice(trusted, presentedToken);
    const { slot, occupant } = replaced ? { slot: replaced.slot, occupant: replaced } : placeFor(devices, trusted, deps.policy.maxTrustedDevices);
    const device: TrustedDevice = {
      id: newId("dev"), userId, slot, tokenHash: sha256(token),
      browser: { family: identity.family, major: identity.major },
      network: networkOf(context.ip) ?? "unknown",
      label: deviceLabel(identity),
      createdAt: now.toISOString(), lastUsedAt: null,
      expiresAt: addSeconds(now, deps.policy.deviceTrustMaxAgeSeconds).toISOString(),
      factorsVersion: account.factorsVersion,
    };
    const reason = occupant && (trusted.includes(occupant) ? "replaced" : forgottenBecause(occupant, account));
    const owed = [
      ...(occupant && reason ? [newEvent("TrustedDeviceRevoked", { userId, deviceId: occupant.id, reason }, at)] : []),
      newEvent("DeviceTrusted", {
        userId, deviceId: device.id, label: device.label, browser: device.browser, network: device.network, expiresAt: device.expiresAt,
      }, at),
    ];
    if (await deps.devices.remember(device, occupant, owed)) return { token, maxAgeSeconds: secondsUntil(new Date(device.expiresAt), now) };
    if (replaced) return undefined;
  }
  return undefined;
}

/**
 * Where a new device goes: a slot nobody holds, or whose device no longer trusts (picked at random,
 * so that concurrent remembers rarely want the same one); with every slot trusted, the least
 * recently used device's.
 */
function placeFor(devices: readonly TrustedDevice[], trusted: readonly TrustedDevice[], slots: number): { slot: number; occupant?: TrustedDevice } {
  const bySlot = new Map(devices.map((device) => [device.slot, device]));
  const free = Array.from({ length: slots }, (_, slot) => slot).filter((slot) => !trusted.some((device) => device.slot === slot));
  if (free.length > 0) {
    const slot = free[Math.floor(Math.random() * free.length)]!;
    return { slot, occupant: bySlot.get(slot) };
  }
  const leastRecent = [...trusted].sort((a, b) => (a.lastUsedAt ?? a.createdAt).localeCompare(b.lastUsedAt ?? b.createdAt))[0]!;
  return { slot: leastRecent.slot, occupant: leastRecent };
}
