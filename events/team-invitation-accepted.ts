import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { teamRole } from "./team-role.js";

export const DETAIL_TYPE = "TeamInvitationAccepted";
/** A user said yes to an invitation and joined the team with its role (`invitedBy`: who had invited them). */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  teamId: z.string().min(1),
  invitationId: z.string().min(1),
  role: teamRole,
  invitedBy: z.string().min(1),
});
export type Detail = z.infer<typeof schema>;
