import { logout } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.logout, async ({ deps, session }) => {
  await logout(deps, session);
  return { status: 204 };
});
