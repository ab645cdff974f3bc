import { listTeamAuditEvents } from "@twofactor/core";
import { auditCsv, nextLink, wantsCsv } from "@twofactor/http";
import { route } from "./route.js";
import * as contract from "./routes.js";

/** JSON, or with `Accept: text/csv` the same page as CSV with the next page in a `Link` header. */
export const handler = route(contract.listTeamAuditEvents, async ({ deps, session, path, query, headers, rawPath }) => {
  const { limit, cursor, ...filter } = query;
  const page = await listTeamAuditEvents(deps, session, path.teamId, filter, { limit, ...(cursor ? { cursor } : {}) });
  if (!wantsCsv(headers.accept)) return { status: 200, body: page };
  return {
    status: 200,
    text: auditCsv(page.items),
    headers: { "content-type": "text/csv; charset=utf-8", ...(page.nextCursor ? { link: nextLink(rawPath, query, page.nextCursor) } : {}) },
  };
});
