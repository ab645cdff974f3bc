import { reauthenticateWithKey } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", body: schemas.reauthenticateWebAuthnBody }, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticateWithKey(deps, session, body.response, context),
}));
