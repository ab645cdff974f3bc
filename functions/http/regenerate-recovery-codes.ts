import { regenerateRecoveryCodes } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";

export const handler = route("regenerate-recovery-codes", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await regenerateRecoveryCodes({ ...deps, vault: vault() }, session, body?.code, context),
}));
