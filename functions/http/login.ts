import { loginWithPassword } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "public", body: schemas.loginBody }, async ({ deps, body, context }) => {
  const result = await loginWithPassword(deps, body, context);
  return { status: result.status === "two_factor_required" ? 200 : 201, body: result };
});
