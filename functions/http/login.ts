import { loginWithPassword } from "@twofactor/core";
import { presentedDeviceToken } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route("login", async (input) => {
  const result = await loginWithPassword(input.deps, { ...input.body, deviceToken: presentedDeviceToken(input) }, input.context);
  return { status: result.status === "authenticated" ? 201 : 200, body: result };
});
