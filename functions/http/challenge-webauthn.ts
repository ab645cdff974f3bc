import { completeWebAuthnChallenge } from "@twofactor/core";
import { presentedDeviceToken, schemas, signedIn } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "public", path: schemas.challengePath, body: schemas.webauthnChallengeBody }, async (input) => signedIn(
  await completeWebAuthnChallenge(input.deps, {
    challengeId: input.path.challengeId, response: input.body.response,
    rememberDevice: input.body.rememberDevice, deviceToken: presentedDeviceToken(input),
  }, input.context),
));
