import { addMember } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.addTeamMember, async ({ deps, session, path, body, context }) => ({
  status: 201,
  body: { member: await addMember(deps, session.userId, path.teamId, body, context) },
}));
