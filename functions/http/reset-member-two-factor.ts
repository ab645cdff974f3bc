import { resetMemberTwoFactor } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("reset-member-two-factor", async ({ deps, session, path, context }) => {
  await resetMemberTwoFactor(deps, session.userId, path.teamId, path.userId, context);
  return { status: 204 };
});
