import { regenerateRecoveryCodes } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.regenerateRecoveryCodes, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await regenerateRecoveryCodes({ ...deps, vault: vault() }, session, body?.code, context),
}));
