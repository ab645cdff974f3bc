import { completeChallenge } from "@twofactor/core";
import { presentedDeviceToken, signedIn } from "@twofactor/http";
import { vault } from "../composition.js";
import { route } from "./route.js";

export const handler = route("challenge-totp", async (input) => signedIn(
  await completeChallenge({ ...input.deps, vault: vault() }, {
    challengeId: input.path.challengeId, factor: "totp", code: input.body.code,
    rememberDevice: input.body.rememberDevice, deviceToken: presentedDeviceToken(input),
  }, input.context),
));
