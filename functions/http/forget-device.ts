import { forgetDevice } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.forgetDevice, async ({ deps, session, path, context }) => {
  await forgetDevice(deps, session.userId, session.security, path.deviceId, context);
  return { status: 204 };
});
