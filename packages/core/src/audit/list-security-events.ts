import type { Deps } from "../deps.js";
import type { AuditEntry, Page, PageRequest } from "../ports.js";

/** The user's own security log, newest first. */
export function listSecurityEvents(deps: Pick<Deps, "auditLog">, userId: string, page: PageRequest): Promise<Page<AuditEntry>> {
  return deps.auditLog.listForUser(userId, page);
}
