import { loginWithPassword } from "@twofactor/core";
import { presentedDeviceToken } from "@twofactor/http";
import { passwords } from "../composition.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.login, async (input) => {
  const result = await loginWithPassword({ ...input.deps, passwords: passwords() }, { ...input.body, deviceToken: presentedDeviceToken(input) }, input.context);
  return { status: result.status === "two_factor_required" ? 200 : 201, body: result };
});
