import { resetMemberTwoFactor } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.resetMemberTwoFactor, async ({ deps, session, path, context }) => {
  await resetMemberTwoFactor(deps, session.userId, path.teamId, path.userId, context);
  return { status: 204 };
});
