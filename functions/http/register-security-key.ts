import { registerSecurityKey } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.registerSecurityKey, async ({ deps, session, body, context }) => ({
  status: 201,
  body: await registerSecurityKey(deps, session, body, context),
}));
