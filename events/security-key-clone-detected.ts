import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { credentialId } from "./security-key-fields.js";

export const DETAIL_TYPE = "SecurityKeyCloneDetected";
/**
 * A correctly signed assertion presented a signature counter not greater than the stored one:
 * WebAuthn §6.1.1 says this "is a signal that the authenticator may be cloned". The assertion was refused.
 */
export const schema = z.strictObject({
  ...baseDetail,
  keyId: credentialId,
  storedCounter: z.number().int().nonnegative(),
  presentedCounter: z.number().int().nonnegative(),
});
export type Detail = z.infer<typeof schema>;
