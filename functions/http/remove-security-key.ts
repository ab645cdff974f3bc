import { removeSecurityKey } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.removeSecurityKey, async ({ deps, session, path, context }) => {
  await removeSecurityKey(deps, session, path.keyId, context);
  return { status: 204 };
});
