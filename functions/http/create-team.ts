import { createTeam } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.createTeam, async ({ deps, session, body, context }) => ({
  status: 201,
  body: { team: await createTeam(deps, session, body.name, context) },
}));
