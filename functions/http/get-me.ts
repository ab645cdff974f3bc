import { getMe } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.getMe, async ({ deps, session }) => ({
  status: 200,
  body: { user: await getMe(deps, session.userId) },
}));
