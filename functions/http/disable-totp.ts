import { disableTotp } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";

export const handler = route("disable-totp", async ({ deps, session, body, context }) => {
  await disableTotp({ ...deps, vault: vault() }, session.userId, body.code, context);
  return { status: 204 };
});
