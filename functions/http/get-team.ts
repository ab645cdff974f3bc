import { getTeam } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.getTeam, async ({ deps, session, path }) => ({
  status: 200,
  body: { team: await getTeam(deps, session, path.teamId) },
}));
