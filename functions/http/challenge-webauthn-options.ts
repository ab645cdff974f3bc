import { startWebAuthnChallenge } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("challenge-webauthn-options", async ({ deps, path, context }) => ({
  status: 200,
  body: await startWebAuthnChallenge(deps, path.challengeId, context),
}));
