import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "MemberFlaggedForSetup";
/** A member without 2FA is held to setup by the team (the fan-out, a join while enforced, an admin reset). */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  teamId: z.string().min(1),
  reason: z.enum(["enforcement", "joined", "reset"]),
});
export type Detail = z.infer<typeof schema>;
