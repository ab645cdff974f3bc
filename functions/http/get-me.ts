import { getMe } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("get-me", async ({ deps, session }) => ({
  status: 200,
  body: { user: await getMe(deps, session.userId) },
}));
