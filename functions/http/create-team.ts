import { createTeam } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("create-team", async ({ deps, session, body, context }) => ({
  status: 201,
  body: { team: await createTeam(deps, session.userId, body.name, context) },
}));
