import { addMember } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", body: schemas.addMemberBody }, async ({ deps, session, path, body, context }) => ({
  status: 201,
  body: { member: await addMember(deps, session.userId, path.teamId!, body, context) },
}));
