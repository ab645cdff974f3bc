import { disableTotp } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", body: schemas.secondFactorCodeBody }, async ({ deps, session, body, context }) => {
  await disableTotp(deps, session.userId, body.code, context);
  return { status: 204 };
});
