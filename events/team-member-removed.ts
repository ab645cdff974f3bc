import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { teamRole } from "./team-role.js";

export const DETAIL_TYPE = "TeamMemberRemoved";
/** A user left a team: their later events no longer go to the team's log. */
export const schema = z.strictObject({ ...baseDetail, userId: z.string().min(1), teamId: z.string().min(1), role: teamRole });
export type Detail = z.infer<typeof schema>;
