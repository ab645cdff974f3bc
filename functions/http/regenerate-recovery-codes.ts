import { regenerateRecoveryCodes } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("regenerate-recovery-codes", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await regenerateRecoveryCodes(deps, session, body?.code, context),
}));
