import type { Deps } from "../deps.js";
import type { AuditEntry, AuditFilter, Page, PageRequest } from "../ports.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import { callerMay } from "../teams/authorization.js";

/** `GET /v1/teams/{teamId}/audit-events`: admins and auditors (owners too), newest first, filtered. */
export async function listTeamAuditEvents(
  deps: Pick<Deps, "teams" | "auditLog">,
  session: AuthenticatedSession,
  teamId: string,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  await callerMay(deps, session, teamId, "read_audit");
  return deps.auditLog.listForTeam(teamId, filter, page);
}
