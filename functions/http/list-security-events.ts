import { listSecurityEvents } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listSecurityEvents, async ({ deps, session, query }) => ({
  status: 200,
  body: await listSecurityEvents(deps, session.userId, query),
}));
