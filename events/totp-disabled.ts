import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TotpDisabled";
/** The authenticator app was removed, `with` the kind of proof the user gave (TwoFactorDisabled follows it when it was the last factor). */
export const schema = z.strictObject({ ...baseDetail, with: z.enum(["totp", "recovery_code"]) });
export type Detail = z.infer<typeof schema>;
