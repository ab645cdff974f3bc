import { declineInvitation } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.declineInvitation, async ({ deps, session, path }) => {
  await declineInvitation(deps, session, path.invitationId);
  return { status: 204 };
});
