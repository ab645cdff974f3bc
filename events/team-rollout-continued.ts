import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TeamRolloutContinued";
/**
 * Internal: a segment of the enforcement fan-out checkpointed a page and continues through the bus,
 * so that no invocation handles an unbounded team. Without `segment`, every unfinished segment
 * continues (the stalled-rollout sweep's nudge). Not an audit event.
 */
export const schema = z.strictObject({
  ...baseDetail,
  teamId: z.string().min(1),
  generation: z.number().int().positive(),
  segment: z.number().int().min(0).max(63).optional(),
});
export type Detail = z.infer<typeof schema>;
