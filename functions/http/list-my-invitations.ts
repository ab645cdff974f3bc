import { listMyInvitations } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listMyInvitations, async ({ deps, session, query }) => ({
  status: 200,
  body: await listMyInvitations(deps, session, query),
}));
