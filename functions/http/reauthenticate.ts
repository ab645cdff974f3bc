import { reauthenticate } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", body: schemas.secondFactorCodeBody }, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticate(deps, session, body.code, context),
}));
