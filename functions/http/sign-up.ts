import { signUp } from "@twofactor/core";
import { passwords } from "../composition.js";
import { route } from "./route.js";

export const handler = route("sign-up", async ({ deps, body }) => ({
  status: 201,
  body: { user: await signUp({ ...deps, passwords: passwords() }, body) },
}));
