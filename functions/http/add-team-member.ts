import { addMember } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("add-team-member", async ({ deps, session, path, body, context }) => ({
  status: 201,
  body: { member: await addMember(deps, session.userId, path.teamId, body, context) },
}));
