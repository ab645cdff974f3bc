import { listMembers } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listTeamMembers, async ({ deps, session, path, query }) => ({
  status: 200,
  body: await listMembers(deps, session, path.teamId, query),
}));
