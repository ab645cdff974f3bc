import type { Deps, RequestContext } from "../deps.js";
import type { Account, TrustedDevice } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { networkOf } from "../shared/network.js";
import { browserIdentity } from "./browser-identity.js";
import { liveDevices, presentedDevice } from "./trusted-device.js";

/**
 * At login, after the password: the device whose token was presented, if it is this user's, live,
 * and unchanged — same network prefix, same browser family and major version. A device that came
 * back changed owes DeviceChanged (its consumer revokes the device) and trusts nothing: the login
 * asks for the second factor.
 */
export async function trustedDeviceFor(
  deps: Pick<Deps, "devices" | "clock">,
  account: Account,
  token: string | undefined,
  context: RequestContext,
): Promise<TrustedDevice | undefined> {
  const now = deps.clock.now();
  const device = presentedDevice(liveDevices(account, now), token);
  if (!device) return undefined;
  const identity = browserIdentity(context.userAgent);
  const browser = { family: identity.family, major: identity.major };
  const network = networkOf(context.ip) ?? "unknown";
  const changed = [
    ...(network !== device.network ? ["network" as const] : []),
    ...(browser.family !== device.browser.family || browser.major !== device.browser.major ? ["browser" as const] : []),
  ];
  if (changed.length === 0) {
    await deps.devices.recordUse(device, now);
    return device;
  }
  await deps.devices.reportChange(device, now, [newEvent("DeviceChanged", {
    userId: account.profile.id, deviceId: device.id, changed,
    previousNetwork: device.network, network, previousBrowser: device.browser, browser,
  }, { ...context, now })]);
  return undefined;
}
