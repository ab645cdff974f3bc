import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TwoFactorEnabled";
/** The first factor of a user was activated; `method` is the one that turned 2FA on. */
export const schema = z.strictObject({ ...baseDetail, method: z.enum(["totp", "webauthn"]) });
export type Detail = z.infer<typeof schema>;
