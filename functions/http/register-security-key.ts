import { registerSecurityKey } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "setup", body: schemas.registerSecurityKeyBody }, async ({ deps, session, body, context }) => ({
  status: 201,
  body: await registerSecurityKey(deps, session, body, context),
}));
