import { completeChallenge } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "public", path: schemas.challengePath, body: schemas.recoveryCodeChallengeBody }, async ({ deps, body, path, context }) => ({
  status: 201,
  body: await completeChallenge(deps, { challengeId: path.challengeId, factor: "recovery_code", code: body.code }, context),
}));
