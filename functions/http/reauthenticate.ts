import { reauthenticate } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("reauthenticate", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticate(deps, session, body.code, context),
}));
