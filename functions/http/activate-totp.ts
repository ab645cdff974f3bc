import { activateTotp } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";

export const handler = route("activate-totp", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await activateTotp({ ...deps, vault: vault() }, session, body.code, context),
}));
