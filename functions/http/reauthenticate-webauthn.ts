import { reauthenticateWithKey } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.reauthenticateWebauthn, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticateWithKey(deps, session, body.response, context),
}));
