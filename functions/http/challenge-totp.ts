import { completeChallenge } from "@twofactor/core";
import { presentedDeviceToken, signedIn } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route("challenge-totp", async (input) => signedIn(
  await completeChallenge(input.deps, {
    challengeId: input.path.challengeId, factor: "totp", code: input.body.code,
    rememberDevice: input.body.rememberDevice, deviceToken: presentedDeviceToken(input),
  }, input.context),
));
