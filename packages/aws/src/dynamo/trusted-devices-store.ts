import type { DomainEvent } from "@twofactor/events";
import { InvalidCursorError, type Page, type PageRequest, type TrustedDevice, type TrustedDevices } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { epochSeconds, type Item, type Table } from "./table.js";

export const DEVICE_PREFIX = "DEVICE#";
/** A revoked device's item stays this long (TTL) to carry its owed event; readers skip it at once. */
const REVOKED_KEEP_SECONDS = 24 * 3600;

/**
 * One item per trusted device in its user's partition (`DEVICE#<id>`), so the login's account read
 * finds the device by its token hash with no extra request. Revoked devices are marked, not deleted
 * (they may owe an event), and expire by TTL.
 */
export class TrustedDevicesStore implements TrustedDevices {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async add(device: TrustedDevice, owed: readonly DomainEvent[]): Promise<void> {
    const { id, userId, expiresAt, ...rest } = device;
    await this.outbox.write(keys.device(userId, id), {
      set: { ...rest, deviceId: id, userId, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) },
      condition: "attribute_not_exists(pk)",
    }, owed);
  }

  async list(userId: string, now: Date, page: PageRequest): Promise<Page<TrustedDevice>> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const items: TrustedDevice[] = [];
    let startKey: Item | undefined = after ? { ...keys.device(userId, after) } : undefined;
    // Revoked and expired items are filtered out, so keep reading until the page is full or the partition ends.
    do {
      const result = await this.table.query({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.userPartition(userId), ":prefix": DEVICE_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      for (const item of result.items) {
        if (!isLive(item, now)) continue;
        if (items.length === page.limit) return { items, nextCursor: encodeCursor(items.at(-1)!.id) };
        items.push(toTrustedDevice(item));
      }
      startKey = result.lastKey;
    } while (startKey);
    return { items, nextCursor: null };
  }

  async recordUse(device: TrustedDevice, at: Date): Promise<void> {
    await this.table.update(keys.device(device.userId, device.id), {
      set: { lastUsedAt: at.toISOString() },
      condition: "attribute_exists(pk) AND attribute_not_exists(revokedAt)",
    });
  }

  async revoke(userId: string, deviceId: string, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.device(userId, deviceId), {
      set: { revokedAt: at.toISOString(), expiresAt: epochSeconds(at) + REVOKED_KEEP_SECONDS },
      condition: "attribute_exists(pk) AND attribute_not_exists(revokedAt) AND expiresAt > :now",
      values: { ":now": epochSeconds(at) },
    }, owed);
    return item !== undefined;
  }

  async reportChange(device: TrustedDevice, at: Date, owed: readonly DomainEvent[]): Promise<void> {
    await this.outbox.write(keys.device(device.userId, device.id), {
      set: { changedAt: at.toISOString() },
      condition: "attribute_exists(pk)",
    }, owed);
  }
}

export function isLive(item: Item, now: Date): boolean {
  return !item.revokedAt && (item.expiresAt as number) > epochSeconds(now);
}

export function toTrustedDevice(item: Item): TrustedDevice {
  return {
    id: item.deviceId as string,
    userId: item.userId as string,
    tokenHash: item.tokenHash as string,
    browser: item.browser as TrustedDevice["browser"],
    network: item.network as string,
    label: item.label as string,
    createdAt: item.createdAt as string,
    lastUsedAt: (item.lastUsedAt as string | null | undefined) ?? null,
    expiresAt: item.expiresAtIso as string,
  };
}

const encodeCursor = (deviceId: string) => Buffer.from(deviceId).toString("base64url");

function decodeCursor(cursor: string): string {
  const deviceId = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^dev_[A-Za-z0-9_-]{1,64}$/.test(deviceId)) throw new InvalidCursorError();
  return deviceId;
}
