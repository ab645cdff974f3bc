import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TeamRolloutContinued";
/**
 * Internal: the enforcement fan-out checkpointed a page and continues through the bus, so that no
 * invocation handles an unbounded team. Not an audit event.
 */
export const schema = z.strictObject({ ...baseDetail, teamId: z.string().min(1), generation: z.number().int().positive() });
export type Detail = z.infer<typeof schema>;
