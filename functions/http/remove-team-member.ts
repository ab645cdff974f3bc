import { removeMember } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.removeTeamMember, async ({ deps, session, path, context }) => {
  await removeMember(deps, session, path.teamId, path.userId, context);
  return { status: 204 };
});
