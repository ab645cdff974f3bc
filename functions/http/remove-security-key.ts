import { removeSecurityKey } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("remove-security-key", async ({ deps, session, path, context }) => {
  await removeSecurityKey(deps, session, path.keyId, context);
  return { status: 204 };
});
