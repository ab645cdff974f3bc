import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TwoFactorReset";
/**
 * A reset an admin (`actor`) requested has taken effect: the member's factors, recovery codes,
 * trusted devices and sessions are gone.
 */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  teamId: z.string().min(1),
  resetId: z.string().min(1),
  securityKeysRemoved: z.number().int().min(0),
  totpRemoved: z.boolean(),
});
export type Detail = z.infer<typeof schema>;
