import type { DomainEvent } from "@twofactor/events";
import { FACTOR_CHANGES } from "@twofactor/events/subscriptions";
import type { Deps } from "../deps.js";
import { forgottenBecause } from "./trusted-device.js";
import { revoke } from "./forget-devices.js";

type ConsumerDeps = Pick<Deps, "devices" | "memberships" | "clock">;

/**
 * The tidy-up after a change that forgot devices (a factor change, a DeviceChanged): those devices
 * already trust nothing (the fence decides at each login); this revokes them, so that they leave
 * the list of slots and TrustedDeviceRevoked is told. Idempotent: a device already revoked (or
 * replaced in its slot) owes nothing more.
 */
export async function revokeForgottenDevices(deps: ConsumerDeps, event: DomainEvent): Promise<void> {
  const userId = event.detail.userId;
  const tidies = event.detailType === "DeviceChanged" || (FACTOR_CHANGES as readonly string[]).includes(event.detailType);
  if (!tidies || !userId) return;
  const state = await deps.memberships.read(userId);
  for (const device of await deps.devices.list(userId)) {
    const reason = forgottenBecause(device, state);
    if (reason) await revoke(deps, device, reason, {});
  }
}
