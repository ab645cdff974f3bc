import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "RecoveryCodesRegenerated";
/** A new set of recovery codes replaced the old one (the codes themselves are never published). */
export const schema = z.strictObject({ ...baseDetail, count: z.number().int().positive() });
export type Detail = z.infer<typeof schema>;
