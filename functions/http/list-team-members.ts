import { listMembers } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", query: schemas.pageQuery }, async ({ deps, session, path, query }) => ({
  status: 200,
  body: await listMembers(deps, session.userId, path.teamId!, query),
}));
