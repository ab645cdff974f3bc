import { disableTotp } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.disableTotp, async ({ deps, session, body, context }) => {
  await disableTotp({ ...deps, vault: vault() }, session.userId, body.code, context);
  return { status: 204 };
});
