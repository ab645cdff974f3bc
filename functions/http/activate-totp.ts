import { activateTotp } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "setup", body: schemas.activateTotpBody }, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await activateTotp(deps, session, body.code, context),
}));
