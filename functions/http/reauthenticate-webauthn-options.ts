import { startKeyReauthentication } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("reauthenticate-webauthn-options", async ({ deps, session, context }) => ({
  status: 200,
  body: await startKeyReauthentication(deps, session, context),
}));
