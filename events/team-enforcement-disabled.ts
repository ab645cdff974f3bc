import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TeamEnforcementDisabled";
/** An admin turned 2FA enforcement off; the fan-out releases the members no other enforcing team holds. */
export const schema = z.strictObject({ ...baseDetail, teamId: z.string().min(1), generation: z.number().int().positive() });
export type Detail = z.infer<typeof schema>;
