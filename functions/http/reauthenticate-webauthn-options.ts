import { startKeyReauthentication } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.reauthenticateWebauthnOptions, async ({ deps, session, context }) => ({
  status: 200,
  body: await startKeyReauthentication(deps, session, context),
}));
