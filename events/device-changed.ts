import * as z from "zod";
import { browser, network } from "./device-fields.js";
import { baseDetail } from "./envelope.js";

export const DETAIL_TYPE = "DeviceChanged";
/**
 * A trusted device's token came back from another network or browser: the login asked for a second
 * factor, and the device-changed consumer revokes the device. Never carries the token.
 */
export const schema = z.strictObject({
  ...baseDetail,
  deviceId: z.string().min(1).max(64),
  changed: z.array(z.enum(["network", "browser"])).min(1),
  previousNetwork: network,
  network,
  previousBrowser: browser,
  browser,
});
export type Detail = z.infer<typeof schema>;
