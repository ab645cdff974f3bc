import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TwoFactorResetCancelled";
/**
 * A pending reset will not happen: the member proved a second factor (`reason: "proved_factor"`),
 * or left the team that asked for it (`reason: "left_team"`).
 */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  teamId: z.string().min(1),
  resetId: z.string().min(1),
  reason: z.enum(["proved_factor", "left_team"]),
});
export type Detail = z.infer<typeof schema>;
