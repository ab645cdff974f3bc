import { acceptInvitation } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.acceptInvitation, async ({ deps, session, path, context }) => ({
  status: 201,
  body: { member: await acceptInvitation(deps, session, path.invitationId, context) },
}));
