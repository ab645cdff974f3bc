import { createTeam } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", body: schemas.createTeamBody }, async ({ deps, session, body, context }) => ({
  status: 201,
  body: { team: await createTeam(deps, session.userId, body.name, context) },
}));
