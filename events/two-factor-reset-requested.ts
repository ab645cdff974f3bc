import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TwoFactorResetRequested";
/**
 * An admin (`actor`) asked for a reset of a member's 2FA (a lost phone). It takes effect at
 * `effectiveAt` unless the member proves a second factor before then.
 */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  teamId: z.string().min(1),
  resetId: z.string().min(1),
  effectiveAt: z.iso.datetime(),
});
export type Detail = z.infer<typeof schema>;
