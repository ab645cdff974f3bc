import { completeChallenge } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("challenge-totp", async ({ deps, body, path, context }) => ({
  status: 201,
  body: await completeChallenge(deps, { challengeId: path.challengeId!, factor: "totp", code: body.code }, context),
}));
