import { loginWithPassword } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("login", async ({ deps, body, context }) => {
  const result = await loginWithPassword(deps, body, context);
  return { status: result.status === "authenticated" ? 201 : 200, body: result };
});
