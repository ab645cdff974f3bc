import { renameSecurityKey } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.renameSecurityKey, async ({ deps, session, body, path }) => ({
  status: 200,
  body: await renameSecurityKey(deps, session.userId, path.keyId, body.name),
}));
