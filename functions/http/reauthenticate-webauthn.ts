import { reauthenticateWithKey } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("reauthenticate-webauthn", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticateWithKey(deps, session, body.response, context),
}));
