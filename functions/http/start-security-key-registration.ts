import { startSecurityKeyRegistration } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.startSecurityKeyRegistration, async ({ deps, session }) => ({
  status: 200,
  body: await startSecurityKeyRegistration(deps, session),
}));
