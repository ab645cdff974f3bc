import { regenerateRecoveryCodes } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", body: schemas.regenerateRecoveryCodesBody }, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await regenerateRecoveryCodes(deps, session, body?.code, context),
}));
