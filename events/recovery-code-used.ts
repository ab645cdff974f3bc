import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "RecoveryCodeUsed";
export const schema = z.strictObject({
  ...baseDetail,
  purpose: z.enum(["login", "disable_totp", "regenerate_recovery_codes", "reauthenticate"]),
  remaining: z.number().int().nonnegative(),
});
export type Detail = z.infer<typeof schema>;
