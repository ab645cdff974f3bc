import { activateTotp } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("activate-totp", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await activateTotp(deps, session, body.code, context),
}));
