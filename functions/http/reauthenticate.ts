import { reauthenticate } from "@twofactor/core";
import { vault } from "../composition.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.reauthenticate, async ({ deps, session, body, context }) => ({
  status: 200,
  body: await reauthenticate({ ...deps, vault: vault() }, session, body.code, context),
}));
