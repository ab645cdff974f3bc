import type { DomainEvent } from "@twofactor/events";
import { FACTOR_CHANGES } from "@twofactor/events/subscriptions";
import type { Deps } from "../deps.js";
import { newEvent } from "../shared/events.js";
import { forgetDevicesSince } from "./forget-devices.js";


type ConsumerDeps = Pick<Deps, "accounts" | "devices" | "clock">;

/** DeviceChanged consumer: the device that came back changed is revoked (once, however often the event arrives). */
export async function revokeChangedDevice(deps: ConsumerDeps, event: DomainEvent): Promise<void> {
  if (event.detailType !== "DeviceChanged" || !event.detail.userId) return;
  const { userId, deviceId } = event.detail;
  const now = deps.clock.now();
  await deps.devices.revoke(userId, deviceId, now, [
    newEvent("TrustedDeviceRevoked", { userId, deviceId, reason: "changed", actor: "system" }, { now }),
  ]);
}

/** Factor-change consumer: forgets the devices trusted before the change. */
export async function forgetDevicesAfterFactorChange(deps: ConsumerDeps, event: DomainEvent): Promise<void> {
  if (!(FACTOR_CHANGES as readonly string[]).includes(event.detailType) || !event.detail.userId) return;
  await forgetDevicesSince(deps, event.detail.userId, "factor_changed", new Date(event.detail.occurredAt), {});
}
