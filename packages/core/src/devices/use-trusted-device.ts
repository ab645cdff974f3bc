import type { Deps, RequestContext } from "../deps.js";
import type { Account, TrustedDevice } from "../ports.js";
import { newEvent } from "../common/events.js";
import { networkOf } from "../common/network.js";
import { browserIdentity } from "./browser-identity.js";
import { presentedDevice, trustedDevices } from "./trusted-device.js";

/**
 * At login, after the password: the device whose token was presented, if it is this user's and
 * still trusted (fence.ts), and unchanged — same network prefix, same browser family and major
 * version. A device that came back changed is marked so in one write (from then on it trusts
 * nothing, whatever the DeviceChanged consumer does or when), and the login asks for the second factor.
 */
export async function trustedDeviceFor(
  deps: Pick<Deps, "devices" | "clock">,
  account: Account,
  token: string | undefined,
  context: RequestContext,
): Promise<TrustedDevice | undefined> {
  const now = deps.clock.now();
  const device = presentedDevice(trustedDevices(account.devices, account, now), token);
  if (!device) return undefined;
  const identity = browserIdentity(context.userAgent);
  const browser = { family: identity.family, major: identity.major };
  const network = networkOf(context.ip) ?? "unknown";
  const changed = [
    ...(network !== device.network ? ["network" as const] : []),
    ...(browser.family !== device.browser.family || browser.major !== device.browser.major ? ["browser" as const] : []),
  ];
  // Unchanged: the caller records its use beside the session it issues.
  if (changed.length === 0) return device;
  await deps.devices.reportChange(device, now, [newEvent("DeviceChanged", {
    userId: account.profile.id, deviceId: device.id, changed,
    previousNetwork: device.network, network, previousBrowser: device.browser, browser,
  }, { ...context, now })]);
  return undefined;
}
