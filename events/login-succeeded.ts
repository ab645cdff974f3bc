import * as z from "zod";
import { baseDetail, secondFactor } from "./envelope.js";

export const DETAIL_TYPE = "LoginSucceeded";
/** A session was issued; `method` is what completed the login (`password` when no second factor was asked). */
export const schema = z.strictObject({
  ...baseDetail,
  method: z.union([secondFactor, z.enum(["password", "trusted_device"])]),
  scope: z.enum(["full", "setup"]),
  /** The trusted device that skipped the second factor (method `trusted_device`). */
  deviceId: z.string().min(1).max(64).optional(),
});
export type Detail = z.infer<typeof schema>;
