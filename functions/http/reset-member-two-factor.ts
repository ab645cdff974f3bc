import { requestMemberReset } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

/** 202: the reset takes effect later, unless the member proves a factor first. */
export const handler = route(contract.resetMemberTwoFactor, async ({ deps, session, path, context }) => ({
  status: 202,
  body: { reset: await requestMemberReset(deps, session, path.teamId, path.userId, context) },
}));
