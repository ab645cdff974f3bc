import { renameSecurityKey } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("rename-security-key", async ({ deps, session, body, path }) => ({
  status: 200,
  body: await renameSecurityKey(deps, session.userId, path.keyId, body.name),
}));
