import { removeSecurityKey } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", path: schemas.securityKeyPath }, async ({ deps, session, path, context }) => {
  await removeSecurityKey(deps, session, path.keyId, context);
  return { status: 204 };
});
