import { withdrawInvitation } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.withdrawInvitation, async ({ deps, session, path }) => {
  await withdrawInvitation(deps, session, path.teamId, path.invitationId);
  return { status: 204 };
});
