import { forgetDevice } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", path: schemas.devicePath }, async ({ deps, session, path, context }) => {
  await forgetDevice(deps, session.userId, path.deviceId, context);
  return { status: 204 };
});
