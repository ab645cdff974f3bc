import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TwoFactorReset";
/** An admin removed a member's factors, recovery codes and sessions (a lost phone). `actor` is the admin. */
export const schema = z.strictObject({
  ...baseDetail,
  userId: z.string().min(1),
  teamId: z.string().min(1),
  securityKeysRemoved: z.number().int().min(0),
  totpRemoved: z.boolean(),
});
export type Detail = z.infer<typeof schema>;
