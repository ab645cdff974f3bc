import { listDevices } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listDevices, async ({ deps, session, query }) => ({
  status: 200,
  body: await listDevices(deps, session.userId, session.security, query),
}));
