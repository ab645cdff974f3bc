import { signUp } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "public", body: schemas.signUpBody }, async ({ deps, body }) => ({
  status: 201,
  body: { user: await signUp(deps, body) },
}));
