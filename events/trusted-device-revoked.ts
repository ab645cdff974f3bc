import * as z from "zod";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "TrustedDeviceRevoked";
/**
 * A trusted device was forgotten: by its user (`user`), with all the user's devices (`all`), because
 * it changed (`changed`), because a newer device took its place (`replaced`), or because the user's
 * factors changed (`factor_changed`).
 */
export const schema = z.strictObject({
  ...baseDetail,
  deviceId: z.string().min(1).max(64),
  reason: z.enum(["user", "all", "changed", "replaced", "factor_changed"]),
});
export type Detail = z.infer<typeof schema>;
