import type { Deps } from "../deps.js";
import type { AuditEntry, AuditFilter, Page, PageRequest } from "../ports.js";
import { callerMay } from "../teams/caller.js";

/** `GET /v1/teams/{teamId}/audit-events`: admins and auditors (owners too), newest first, filtered. */
export async function listTeamAuditEvents(
  deps: Pick<Deps, "teams" | "auditLog">,
  userId: string,
  teamId: string,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  await callerMay(deps, teamId, userId, "read_audit");
  return deps.auditLog.listForTeam(teamId, filter, page);
}
