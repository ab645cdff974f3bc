import { startTotpEnrollment } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("start-totp-enrollment", async ({ deps, session }) => ({
  status: 201,
  body: await startTotpEnrollment(deps, session),
}));
