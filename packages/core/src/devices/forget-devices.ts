import type { Deps, RequestContext } from "../deps.js";
import { DeviceNotFoundError, InvalidCursorError } from "../errors.js";
import type { DeviceRevocationReason, Page, PageRequest, SecurityState, TrustedDevice } from "../ports.js";
import { newEvent } from "../common/events.js";
import { trustedDevices } from "./trusted-device.js";

type DeviceDeps = Pick<Deps, "devices" | "clock">;

export interface DeviceView {
  id: string;
  label: string;
  network: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
}

/** The user's trusted devices (at most one per slot), oldest first; never a token or its hash. */
export async function listDevices(deps: DeviceDeps, userId: string, state: Pick<SecurityState, "factorsVersion">, page: PageRequest): Promise<Page<DeviceView>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const trusted = trustedDevices(await deps.devices.list(userId), state, deps.clock.now())
    .sort((a, b) => orderKey(a).localeCompare(orderKey(b)))
    .filter((device) => after === undefined || orderKey(device) > after);
  const shown = trusted.slice(0, page.limit);
  return {
    items: shown.map(({ id, label, network, createdAt, lastUsedAt, expiresAt }) => ({ id, label, network, createdAt, lastUsedAt, expiresAt })),
    nextCursor: trusted.length > page.limit ? Buffer.from(orderKey(shown.at(-1)!)).toString("base64url") : null,
  };
}

/** Forgets one of the user's trusted devices; another user's (or an unknown, or a forgotten) device is not found. */
export async function forgetDevice(
  deps: DeviceDeps,
  userId: string,
  state: Pick<SecurityState, "factorsVersion">,
  deviceId: string,
  context: RequestContext,
): Promise<void> {
  const device = trustedDevices(await deps.devices.list(userId), state, deps.clock.now()).find((candidate) => candidate.id === deviceId);
  if (!device || !(await revoke(deps, device, "user", context))) throw new DeviceNotFoundError();
}

/** Forgets every trusted device of the user (`DELETE /v1/me/devices`). */
export async function forgetAllDevices(deps: DeviceDeps, userId: string, state: Pick<SecurityState, "factorsVersion">, context: RequestContext): Promise<number> {
  const trusted = trustedDevices(await deps.devices.list(userId), state, deps.clock.now());
  const revoked = await Promise.all(trusted.map((device) => revoke(deps, device, "all", context)));
  return revoked.filter(Boolean).length;
}

/** Revokes a device that still holds its slot, owing TrustedDeviceRevoked; false when it no longer did. */
export function revoke(deps: DeviceDeps, device: TrustedDevice, reason: DeviceRevocationReason, context: RequestContext): Promise<boolean> {
  const now = deps.clock.now();
  return deps.devices.revoke(device, now, [
    newEvent("TrustedDeviceRevoked", { userId: device.userId, deviceId: device.id, reason, ...(reason === "user" || reason === "all" ? {} : { actor: "system" }) }, { ...context, now }),
  ]);
}

const orderKey = (device: { createdAt: string; id: string }) => `${device.createdAt}|${device.id}`;

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|dev_[A-Za-z0-9_-]{1,64}$/.test(key)) throw new InvalidCursorError();
  return key;
}
