import { reauthenticate } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";

export const handler = route("reauthenticate", async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticate({ ...deps, vault: vault() }, session, body.code, context),
}));
