import { logout } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("logout", async ({ deps, session }) => {
  await logout(deps, session);
  return { status: 204 };
});
