import { completeWebAuthnChallenge } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "public", path: schemas.challengePath, body: schemas.webauthnChallengeBody }, async ({ deps, body, path, context }) => ({
  status: 201,
  body: await completeWebAuthnChallenge(deps, { challengeId: path.challengeId, response: body.response }, context),
}));
