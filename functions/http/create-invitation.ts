import { invite } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.createInvitation, async ({ deps, session, path, body, context }) => ({
  status: 201,
  body: { invitation: await invite(deps, session, path.teamId, body, context) },
}));
