import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TotpEnabled";
/** An authenticator app was activated (TwoFactorEnabled follows it when it is the first factor). */
export const schema = z.strictObject({ ...baseDetail });
export type Detail = z.infer<typeof schema>;
