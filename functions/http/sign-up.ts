import { signUp } from "@twofactor/core";
import { passwords } from "../composition.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.signUp, async ({ deps, body }) => ({
  status: 201,
  body: { user: await signUp({ ...deps, passwords: passwords() }, body) },
}));
