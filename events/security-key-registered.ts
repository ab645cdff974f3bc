import * as z from "zod";
import { baseDetail } from "./envelope.js";
import { aaguid, credentialId, keyName, transports } from "./security-key-fields.js";

export const DETAIL_TYPE = "SecurityKeyRegistered";
/** A security key (WebAuthn credential) was added; only public identifiers, never the public key itself. */
export const schema = z.strictObject({
  ...baseDetail,
  keyId: credentialId,
  name: keyName,
  aaguid,
  transports,
  backedUp: z.boolean(),
});
export type Detail = z.infer<typeof schema>;
