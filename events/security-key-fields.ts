import * as z from "zod";
import { textOfAtMost } from "./envelope.js";

/** A credential ID, base64url (WebAuthn: at most 1023 bytes). It identifies a key; it is not a secret. */
export const credentialId = z.string().min(1).max(1400).regex(/^[A-Za-z0-9_-]+$/);
/** A key's display name, as the HTTP schema let it through: 1–64 characters (code points, not UTF-16 units). */
export const keyName = textOfAtMost(64).min(1);
/** The authenticator model's AAGUID (all zeros when attestation is `none` or the key is U2F). */
export const aaguid = z.string().max(36);
export const transports = z.array(z.string().max(32)).max(8);
