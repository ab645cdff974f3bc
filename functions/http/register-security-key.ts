import { registerSecurityKey } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("register-security-key", async ({ deps, session, body, context }) => ({
  status: 201,
  body: await registerSecurityKey(deps, session, body, context),
}));
