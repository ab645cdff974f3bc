import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { teamRole } from "./team-role.js";

export const DETAIL_TYPE = "TeamInvitationCreated";
/**
 * An admin invited an address to the team with a role (`actor`: who invited). The address is the
 * invitee's, account or not: the notifier mails it, and only the team's log keeps it.
 */
export const schema = z.strictObject({
  ...baseDetail,
  teamId: z.string().min(1),
  invitationId: z.string().min(1),
  email: z.string().min(3).max(254),
  role: teamRole,
  expiresAt: z.iso.datetime(),
});
export type Detail = z.infer<typeof schema>;
