import type { DomainEvent } from "@twofactor/events";
import type { SecurityKey, SecurityKeys } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { epochSeconds, type Item } from "./table.js";

const ACTIVE = "active";
const REMOVED = "removed";
/** How long a removed key's tombstone stays (TTL) — far longer than any owed event takes to publish. */
const TOMBSTONE_SECONDS = 30 * 24 * 3600;

/**
 * One item per key under the user's partition (`KEY#<credentialId>`). Key items owe events
 * (registered, removed, clone detected), so they are never deleted: removal turns the item into a
 * tombstone (`status: removed`, public key dropped, TTL set) that carries SecurityKeyRemoved until
 * published; registering the same credential again revives it.
 */
export class SecurityKeysStore implements SecurityKeys {
  constructor(private readonly outbox: Outbox) {}

  async add(userId: string, key: SecurityKey, owed: readonly DomainEvent[]): Promise<boolean> {
    const { id, ...fields } = key;
    const item = await this.outbox.write(keys.securityKey(userId, id), {
      set: { ...fields, credentialId: id, status: ACTIVE },
      remove: ["removedAt", "expiresAt", "cloneDetectedAt"],
      condition: "attribute_not_exists(pk) OR #status = :removed",
      names: { "#status": "status" },
      values: { ":removed": REMOVED },
    }, owed);
    return item !== undefined;
  }

  async rename(userId: string, keyId: string, name: string): Promise<SecurityKey | undefined> {
    const item = await this.outbox.write(keys.securityKey(userId, keyId), {
      set: { name },
      condition: "#status = :active",
      names: { "#status": "status" },
      values: { ":active": ACTIVE },
    }, []);
    return item ? toSecurityKey(item) : undefined;
  }

  async remove(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.securityKey(userId, keyId), {
      set: { status: REMOVED, removedAt: at.toISOString(), expiresAt: epochSeconds(at) + TOMBSTONE_SECONDS },
      remove: ["publicKey"],
      condition: "#status = :active",
      names: { "#status": "status" },
      values: { ":active": ACTIVE },
    }, owed);
    return item !== undefined;
  }

  /** Counter guard in one conditional write: it must rise, or stay 0 for a key that keeps no counter. */
  async recordUse(userId: string, keyId: string, counter: number, at: Date): Promise<boolean> {
    const item = await this.outbox.write(keys.securityKey(userId, keyId), {
      set: { counter, lastUsedAt: at.toISOString() },
      condition: counter > 0 ? "#status = :active AND #counter < :counter" : "#status = :active AND #counter = :zero",
      names: { "#status": "status", "#counter": "counter" },
      values: counter > 0 ? { ":active": ACTIVE, ":counter": counter } : { ":active": ACTIVE, ":zero": 0 },
    }, []);
    return item !== undefined;
  }

  async reportClone(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<void> {
    await this.outbox.write(keys.securityKey(userId, keyId), {
      set: { cloneDetectedAt: at.toISOString() },
      condition: "attribute_exists(pk)",
    }, owed);
  }
}

/** A stored key item as the domain sees it; undefined for a tombstone. */
export function toSecurityKey(item: Item): SecurityKey | undefined {
  if (item.status !== ACTIVE) return undefined;
  return {
    id: item.credentialId as string,
    publicKey: item.publicKey as string,
    counter: (item.counter as number | undefined) ?? 0,
    transports: (item.transports as string[] | undefined) ?? [],
    aaguid: (item.aaguid as string | undefined) ?? "",
    backedUp: item.backedUp === true,
    name: item.name as string,
    createdAt: item.createdAt as string,
    lastUsedAt: (item.lastUsedAt as string | null | undefined) ?? null,
  };
}
