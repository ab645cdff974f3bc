import { getEnforcement } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.getTeamEnforcement, async ({ deps, session, path }) => ({
  status: 200,
  body: { enforcement: await getEnforcement(deps, session, path.teamId) },
}));
