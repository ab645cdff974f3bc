import type { Deps } from "../deps.js";
import type { AuditEntry, Page, PageRequest } from "../ports.js";

/** An entry of the user's own log, and whether the notifier mailed them about it. */
export type SecurityEventView = AuditEntry & { mailed?: true };

/** The user's own security log, newest first; the entries that were mailed say so (one batch read of the mail log). */
export async function listSecurityEvents(deps: Pick<Deps, "auditLog" | "mailLog">, userId: string, page: PageRequest): Promise<Page<SecurityEventView>> {
  const entries = await deps.auditLog.listForUser(userId, page);
  if (entries.items.length === 0) return entries;
  const mailed = await deps.mailLog.mailed(entries.items.map((entry) => entry.eventId));
  return { ...entries, items: entries.items.map((entry) => (mailed.has(entry.eventId) ? { ...entry, mailed: true } : entry)) };
}
