import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { teamRole } from "./team-role.js";

export const DETAIL_TYPE = "TeamMemberAdded";
/** A user joined a team with a role: from here on their own events also go to the team's log. */
export const schema = z.strictObject({ ...baseDetail, userId: z.string().min(1), teamId: z.string().min(1), role: teamRole });
export type Detail = z.infer<typeof schema>;
