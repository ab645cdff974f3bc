import type { Deps, RequestContext } from "../deps.js";
import { DeviceNotFoundError } from "../errors.js";
import type { DeviceRevocationReason, Page, PageRequest } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { liveDevices } from "./trusted-device.js";

type DeviceDeps = Pick<Deps, "accounts" | "devices" | "clock">;

export interface DeviceView {
  id: string;
  label: string;
  network: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
}

/** The user's live trusted devices, oldest first; never a token or its hash. */
export async function listDevices(deps: DeviceDeps, userId: string, page: PageRequest): Promise<Page<DeviceView>> {
  const { items, nextCursor } = await deps.devices.list(userId, deps.clock.now(), page);
  return {
    items: items.map(({ id, label, network, createdAt, lastUsedAt, expiresAt }) => ({ id, label, network, createdAt, lastUsedAt, expiresAt })),
    nextCursor,
  };
}

/** Forgets one of the user's devices; another user's (or an unknown) device is not found. */
export async function forgetDevice(deps: DeviceDeps, userId: string, deviceId: string, context: RequestContext): Promise<void> {
  const now = deps.clock.now();
  const revoked = newEvent("TrustedDeviceRevoked", { userId, deviceId, reason: "user" }, { ...context, now });
  if (!(await deps.devices.revoke(userId, deviceId, now, [revoked]))) throw new DeviceNotFoundError();
}

/** Forgets every live device of the user (`DELETE /v1/me/devices`). */
export function forgetAllDevices(deps: DeviceDeps, userId: string, context: RequestContext): Promise<number> {
  return forgetDevicesSince(deps, userId, "all", undefined, context);
}

/**
 * Forgets the devices the user had at `until` (those remembered later were earned after it), or all.
 * Idempotent: a device already revoked owes nothing more, so a repeated event changes nothing.
 */
export async function forgetDevicesSince(
  deps: DeviceDeps,
  userId: string,
  reason: DeviceRevocationReason,
  until: Date | undefined,
  context: RequestContext,
): Promise<number> {
  const account = await deps.accounts.load(userId);
  if (!account) return 0;
  const now = deps.clock.now();
  let revoked = 0;
  for (const device of liveDevices(account, now).filter((d) => !until || new Date(d.createdAt) <= until)) {
    const event = newEvent("TrustedDeviceRevoked", { userId, deviceId: device.id, reason }, { ...context, now });
    if (await deps.devices.revoke(userId, device.id, now, [event])) revoked++;
  }
  return revoked;
}

