import type { DomainEvent } from "@twofactor/events";
import type { TrustedDevice, TrustedDevices } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { epochSeconds, type Item, type Table } from "./table.js";

export const DEVICE_PREFIX = "DEVICE#";
/** A revoked device's item stays this long (TTL) to carry its owed event, unless its slot is taken first. */
const REVOKED_KEEP_SECONDS = 24 * 3600;
/** What a device item holds; a new device in the slot replaces all of it. */
const DEVICE_ATTRIBUTES = [
  "deviceId", "userId", "slot", "tokenHash", "browser", "network", "label", "createdAt", "lastUsedAt", "expiresAt", "expiresAtIso",
  "factorsVersion", "changedAt", "revokedAt",
];

/**
 * One item per place (`DEVICE#<slot>`) in the user's partition, so the login's account read finds
 * the devices with no extra request, and a device takes its place by one conditional write on what
 * the place held: the cap and the replacement rule hold however many remember at once. Items are
 * only ever updated (they may owe events: the outbox); a revoked one is marked and expires by TTL.
 */
export class TrustedDevicesStore implements TrustedDevices {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async remember(device: TrustedDevice, occupant: TrustedDevice | undefined, owed: readonly DomainEvent[]): Promise<boolean> {
    const { id, userId, expiresAt, changedAt: _changed, ...rest } = device;
    const set = { ...rest, deviceId: id, userId, lastUsedAt: rest.lastUsedAt, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) };
    const written = await this.outbox.write(keys.device(userId, device.slot), {
      set,
      remove: DEVICE_ATTRIBUTES.filter((name) => !(name in set)),
      ...(occupant
        ? { condition: "tokenHash = :occupant AND attribute_not_exists(revokedAt)", values: { ":occupant": occupant.tokenHash } }
        : { condition: "attribute_not_exists(tokenHash) OR attribute_exists(revokedAt)" }),
    }, owed);
    return written !== undefined;
  }

  async list(userId: string): Promise<TrustedDevice[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.userPartition(userId), ":prefix": DEVICE_PREFIX },
      ConsistentRead: true,
    });
    return storedDevices(items);
  }

  async recordUse(device: TrustedDevice, at: Date): Promise<void> {
    await this.table.update(keys.device(device.userId, device.slot), {
      set: { lastUsedAt: at.toISOString() },
      condition: "tokenHash = :token AND attribute_not_exists(revokedAt)",
      values: { ":token": device.tokenHash },
    });
  }

  async revoke(device: TrustedDevice, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.device(device.userId, device.slot), {
      set: { revokedAt: at.toISOString(), expiresAt: epochSeconds(at) + REVOKED_KEEP_SECONDS },
      condition: "tokenHash = :token AND attribute_not_exists(revokedAt)",
      values: { ":token": device.tokenHash },
    }, owed);
    return item !== undefined;
  }

  async reportChange(device: TrustedDevice, at: Date, owed: readonly DomainEvent[]): Promise<void> {
    await this.outbox.write(keys.device(device.userId, device.slot), {
      set: { changedAt: at.toISOString() },
      condition: "tokenHash = :token",
      values: { ":token": device.tokenHash },
    }, owed);
  }
}

/** The devices among a partition's items that are stored and not revoked, oldest first. */
export function storedDevices(items: readonly Item[]): TrustedDevice[] {
  return items
    .filter((item) => (item.sk as string).startsWith(DEVICE_PREFIX) && item.tokenHash && !item.revokedAt)
    .map(toTrustedDevice)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function toTrustedDevice(item: Item): TrustedDevice {
  return {
    id: item.deviceId as string,
    userId: item.userId as string,
    slot: item.slot as number,
    tokenHash: item.tokenHash as string,
    browser: item.browser as TrustedDevice["browser"],
    network: item.network as string,
    label: item.label as string,
    createdAt: item.createdAt as string,
    lastUsedAt: (item.lastUsedAt as string | null | undefined) ?? null,
    expiresAt: item.expiresAtIso as string,
    factorsVersion: (item.factorsVersion as number | undefined) ?? 0,
    ...(item.changedAt ? { changedAt: item.changedAt as string } : {}),
  };
}
