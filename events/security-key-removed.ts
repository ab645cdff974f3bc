import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { credentialId, keyName } from "./security-key-fields.js";

export const DETAIL_TYPE = "SecurityKeyRemoved";
/** A security key was removed by its owner. */
export const schema = z.strictObject({ ...baseDetail, keyId: credentialId, name: keyName });
export type Detail = z.infer<typeof schema>;
