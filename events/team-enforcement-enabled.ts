import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TeamEnforcementEnabled";
/**
 * An admin turned 2FA enforcement on. `generation` numbers the team's enforcement changes: the
 * fan-out works for this generation only, so a newer change supersedes a running rollout.
 */
export const schema = z.strictObject({ ...baseDetail, teamId: z.string().min(1), generation: z.number().int().positive() });
export type Detail = z.infer<typeof schema>;
