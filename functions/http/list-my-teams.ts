import { listMyTeams } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listMyTeams, async ({ deps, session, query }) => ({
  status: 200,
  body: await listMyTeams(deps, session, query),
}));
