import { disableTotp } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("disable-totp", async ({ deps, session, body, context }) => {
  await disableTotp(deps, session.userId, body.code, context);
  return { status: 204 };
});
