import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "NotificationsSuppressed";
/**
 * More security mails were due to the user's address within one hour than the rate allows: `count`
 * of them were not sent. One per address and hour, published once the hour is over (its count final).
 */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  count: z.number().int().positive(),
  windowStart: z.iso.datetime(),
  windowEnd: z.iso.datetime(),
});
export type Detail = z.infer<typeof schema>;
