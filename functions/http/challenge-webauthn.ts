import { completeWebAuthnChallenge } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("challenge-webauthn", async ({ deps, body, path, context }) => ({
  status: 201,
  body: await completeWebAuthnChallenge(deps, { challengeId: path.challengeId!, response: body.response }, context),
}));
