import { listMembers } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("list-team-members", async ({ deps, session, path, query }) => ({
  status: 200,
  body: await listMembers(deps, session.userId, path.teamId, query),
}));
