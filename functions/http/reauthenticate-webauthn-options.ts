import { startKeyReauthentication } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route({ access: "full" }, async ({ deps, session, context }) => ({
  status: 200,
  body: await startKeyReauthentication(deps, session, context),
}));
