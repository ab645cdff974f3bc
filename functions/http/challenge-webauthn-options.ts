import { startWebAuthnChallenge } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "public", path: schemas.challengePath }, async ({ deps, path, context }) => ({
  status: 200,
  body: await startWebAuthnChallenge(deps, path.challengeId, context),
}));
