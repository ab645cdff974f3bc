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

/**
 * Stores an event once, however often it is delivered (idempotent by eventId): in the user's own
 * log, and in the log of every team it concerns — its own `teamId`, and each team the user
 * belonged to when it happened (from joining to leaving).
 */
export async function recordAuditEvent(deps: Pick<Deps, "auditLog" | "teams">, event: DomainEvent): Promise<void> {
  const entry = toAuditEntry(event);
  const teams = new Set<string>(entry.teamId ? [entry.teamId] : []);
  if (entry.userId) {
    await deps.auditLog.append(entry);
    for (const m of await deps.teams.membershipsOf(entry.userId)) {
      if (m.joinedAt <= entry.occurredAt && (!m.leftAt || entry.occurredAt <= m.leftAt)) teams.add(m.teamId);
    }
  }
  await Promise.all([...teams].map((teamId) => deps.auditLog.appendToTeam(teamId, entry)));
}
