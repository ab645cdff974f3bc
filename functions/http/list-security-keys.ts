import { listSecurityKeys } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("list-security-keys", async ({ deps, session }) => ({
  status: 200,
  body: await listSecurityKeys(deps, session.userId),
}));
