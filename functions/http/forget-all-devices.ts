import { forgetAllDevices } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.forgetAllDevices, async ({ deps, session, context }) => {
  await forgetAllDevices(deps, session.userId, session.security, context);
  return { status: 204 };
});
