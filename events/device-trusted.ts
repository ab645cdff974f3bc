import * as z from "zod";
import { browser, network } from "./device-fields.js";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "DeviceTrusted";
/** A successful second factor with `rememberDevice` made this browser on this network a trusted device. */
export const schema = z.strictObject({
  ...baseDetail,
  deviceId: z.string().min(1).max(64),
  label: z.string().max(128),
  browser,
  network,
  expiresAt: z.iso.datetime(),
});
export type Detail = z.infer<typeof schema>;
