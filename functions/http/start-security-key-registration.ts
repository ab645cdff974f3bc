import { startSecurityKeyRegistration } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("start-security-key-registration", async ({ deps, session }) => ({
  status: 200,
  body: await startSecurityKeyRegistration(deps, session),
}));
