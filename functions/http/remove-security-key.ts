import { removeSecurityKey } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route({ access: "setup" }, async ({ deps, session, path, context }) => {
  await removeSecurityKey(deps, session.userId, path.keyId!, context);
  return { status: 204 };
});
