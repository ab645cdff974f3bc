import { listSecurityKeys } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.listSecurityKeys, async ({ deps, session }) => ({
  status: 200,
  body: await listSecurityKeys(deps, session.userId),
}));
