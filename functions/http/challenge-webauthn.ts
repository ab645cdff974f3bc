import { completeWebAuthnChallenge } from "@twofactor/core";
import { presentedDeviceToken, signedIn } from "@twofactor/http";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.challengeWebauthn, async (input) => signedIn(
  await completeWebAuthnChallenge(input.deps, {
    challengeId: input.path.challengeId, response: input.body.response,
    rememberDevice: input.body.rememberDevice, deviceToken: presentedDeviceToken(input),
  }, input.context),
));
