import { forgetDevice } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("forget-device", async ({ deps, session, path, context }) => {
  await forgetDevice(deps, session.userId, path.deviceId, context);
  return { status: 204 };
});
