import { startTotpEnrollment } from "@twofactor/core";
import { vault } from "../composition.js";
import { qrCodeDataUrl } from "../qr-code.js";
import { route } from "./route.js";

export const handler = route("start-totp-enrollment", async ({ deps, session }) => {
  const enrollment = await startTotpEnrollment({ ...deps, vault: vault() }, session);
  return { status: 201, body: { ...enrollment, qrCode: await qrCodeDataUrl(enrollment.otpauthUri) } };
});
