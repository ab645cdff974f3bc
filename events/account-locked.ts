import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "AccountLocked";
/** Too many failures in a row: `scope` says which check is blocked, until `lockedUntil`. */
export const schema = z.strictObject({
  ...baseDetail,
  scope: z.enum(["password", "second_factor"]),
  lockedUntil: z.iso.datetime(),
});
export type Detail = z.infer<typeof schema>;
