import { renameSecurityKey } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "setup", path: schemas.securityKeyPath, body: schemas.renameSecurityKeyBody }, async ({ deps, session, body, path }) => ({
  status: 200,
  body: await renameSecurityKey(deps, session.userId, path.keyId, body.name),
}));
