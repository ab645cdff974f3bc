import { completeChallenge } from "@twofactor/core";
import { presentedDeviceToken, signedIn } from "@twofactor/http";
import { vault } from "../composition.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.challengeTotp, async (input) => signedIn(
  await completeChallenge({ ...input.deps, vault: vault() }, {
    challengeId: input.path.challengeId, factor: "totp", code: input.body.code,
    rememberDevice: input.body.rememberDevice, deviceToken: presentedDeviceToken(input),
  }, input.context),
));
