import { getTeam } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("get-team", async ({ deps, session, path }) => ({
  status: 200,
  body: { team: await getTeam(deps, session.userId, path.teamId) },
}));
