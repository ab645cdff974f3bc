import { changeEnforcement } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

/** 202: the members are flagged by the fan-out in the background. */
export const handler = route(contract.setTeamEnforcement, async ({ deps, session, path, body, context }) => ({
  status: 202,
  body: { enforcement: await changeEnforcement(deps, session, path.teamId, body.enabled, context) },
}));
