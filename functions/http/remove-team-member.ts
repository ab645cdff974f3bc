import { removeMember } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("remove-team-member", async ({ deps, session, path, context }) => {
  await removeMember(deps, session.userId, path.teamId, path.userId, context);
  return { status: 204 };
});
