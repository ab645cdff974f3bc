import { completeChallenge } from "@twofactor/core";
import { presentedDeviceToken, signedIn } from "@twofactor/http";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.challengeRecoveryCode, async (input) => signedIn(
  await completeChallenge(input.deps, {
    challengeId: input.path.challengeId, factor: "recovery_code", code: input.body.code,
    rememberDevice: input.body.rememberDevice, deviceToken: presentedDeviceToken(input),
  }, input.context),
));
