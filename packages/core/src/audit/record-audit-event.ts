import { BASE_FIELDS, type DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import type { AuditEntry } from "../ports.js";

/** The stored form of an event: common fields on top, the event's own fields under `detail`. */
export function toAuditEntry(event: DomainEvent): AuditEntry {
  const { eventId, occurredAt, actor, userId, teamId, ip, userAgent } = event.detail as Record<string, string>;
  const detail = Object.fromEntries(
    Object.entries(event.detail).filter(([key]) => !(BASE_FIELDS as string[]).includes(key)),
  );
  return {
    eventId: eventId!, type: event.detailType, occurredAt: occurredAt!, actor: actor!,
    ...(userId ? { userId } : {}), ...(teamId ? { teamId } : {}), ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}),
    detail,
  };
}

/** Stores an event once, however often it is delivered (idempotent by eventId). */
export async function recordAuditEvent(deps: Pick<Deps, "auditLog">, event: DomainEvent): Promise<boolean> {
  return deps.auditLog.append(toAuditEntry(event));
}
