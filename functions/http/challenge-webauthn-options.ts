import { startWebAuthnChallenge } from "@twofactor/core";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.challengeWebauthnOptions, async ({ deps, path, context }) => ({
  status: 200,
  body: await startWebAuthnChallenge(deps, path.challengeId, context),
}));
