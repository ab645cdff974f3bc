import { forgetAllDevices } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("forget-all-devices", async ({ deps, session, context }) => {
  await forgetAllDevices(deps, session.userId, context);
  return { status: 204 };
});
