import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TwoFactorDisabled";
/** The user's last factor was removed; `method` is the factor whose removal turned 2FA off. */
export const schema = z.strictObject({ ...baseDetail, method: z.enum(["totp", "webauthn"]) });
export type Detail = z.infer<typeof schema>;
