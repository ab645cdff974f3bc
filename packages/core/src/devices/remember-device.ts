import type { Deps, RequestContext } from "../deps.js";
import type { Account, TrustedDevice } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { networkOf } from "../shared/network.js";
import { addSeconds, secondsUntil } from "../shared/time.js";
import { newId, newToken, sha256 } from "../shared/tokens.js";
import { browserIdentity, deviceLabel } from "./browser-identity.js";
import { liveDevices, presentedDevice } from "./trusted-device.js";

export interface RememberedDevice {
  token: string;
  maxAgeSeconds: number;
}

/**
 * After a successful second factor with `rememberDevice`: trusts this browser on this network for
 * DEVICE_TRUST_MAX_AGE_SECONDS (absolute). The token is 256 random bits, stored only as its hash.
 * Presenting a live device's token replaces that device; beyond MAX devices the oldest goes.
 */
export async function rememberDevice(
  deps: Pick<Deps, "devices" | "clock" | "policy">,
  account: Account,
  presentedToken: string | undefined,
  context: RequestContext,
): Promise<RememberedDevice> {
  const now = deps.clock.now();
  const userId = account.profile.id;
  const live = liveDevices(account, now);
  const replaced = presentedDevice(live, presentedToken);
  const kept = live.filter((device) => device !== replaced);
  const evicted = kept.slice(0, Math.max(0, kept.length - (deps.policy.maxTrustedDevices - 1)));
  for (const old of [...(replaced ? [replaced] : []), ...evicted]) {
    await deps.devices.revoke(userId, old.id, now, [
      newEvent("TrustedDeviceRevoked", { userId, deviceId: old.id, reason: "replaced" }, { ...context, now }),
    ]);
  }

  const token = newToken();
  const identity = browserIdentity(context.userAgent);
  const device: TrustedDevice = {
    id: newId("dev"),
    userId,
    tokenHash: sha256(token),
    browser: { family: identity.family, major: identity.major },
    network: networkOf(context.ip) ?? "unknown",
    label: deviceLabel(identity),
    createdAt: now.toISOString(),
    lastUsedAt: null,
    expiresAt: addSeconds(now, deps.policy.deviceTrustMaxAgeSeconds).toISOString(),
  };
  await deps.devices.add(device, [newEvent("DeviceTrusted", {
    userId, deviceId: device.id, label: device.label, browser: device.browser, network: device.network, expiresAt: device.expiresAt,
  }, { ...context, now })]);
  return { token, maxAgeSeconds: secondsUntil(new Date(device.expiresAt), now) };
}
