import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TeamCreated";
/** A team was created; its creator (`actor`) is its first owner. */
export const schema = z.strictObject({ ...baseDetail, teamId: z.string().min(1), name: z.string() });
export type Detail = z.infer<typeof schema>;
