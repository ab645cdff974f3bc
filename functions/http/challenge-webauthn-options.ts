import { startWebAuthnChallenge } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route({ access: "public" }, async ({ deps, path, context }) => ({
  status: 200,
  body: await startWebAuthnChallenge(deps, path.challengeId!, context),
}));
