import * as z from "zod";
import { baseDetail, secondFactor } from "./envelope.js";

export const DETAIL_TYPE = "LoginFailed";
/** A password or second-factor check failed for an existing account. */
export const schema = z.strictObject({
  ...baseDetail,
  stage: z.enum(["password", "second_factor"]),
  method: z.union([secondFactor, z.literal("password")]),
});
export type Detail = z.infer<typeof schema>;
