import { completeChallenge } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("challenge-recovery-code", async ({ deps, body, path, context }) => ({
  status: 201,
  body: await completeChallenge(deps, { challengeId: path.challengeId!, factor: "recovery_code", code: body.code }, context),
}));
