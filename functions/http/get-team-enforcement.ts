import { getEnforcement } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("get-team-enforcement", async ({ deps, session, path }) => ({
  status: 200,
  body: { enforcement: await getEnforcement(deps, session.userId, path.teamId) },
}));
