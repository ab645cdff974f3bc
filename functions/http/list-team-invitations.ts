import { listInvitations } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listTeamInvitations, async ({ deps, session, path, query }) => ({
  status: 200,
  body: await listInvitations(deps, session, path.teamId, query),
}));
