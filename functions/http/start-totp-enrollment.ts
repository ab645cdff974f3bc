import { startTotpEnrollment } from "@twofactor/core";
import { vault } from "../composition.js";
import { qrCodeDataUrl } from "../qr-code.js";
import { route } from "./route.js";
import * as contract from "./routes.js";

export const handler = route(contract.startTotpEnrollment, async ({ deps, session }) => {
  const enrollment = await startTotpEnrollment({ ...deps, vault: vault() }, session);
  return { status: 201, body: { ...enrollment, qrCode: await qrCodeDataUrl(enrollment.otpauthUri) } };
});
