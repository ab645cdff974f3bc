import { z } from "zod";

/** A credential ID, base64url (WebAuthn: at most 1023 bytes). It identifies a key; it is not a secret. */
export const credentialId = z.string().min(1).max(1400).regex(/^[A-Za-z0-9_-]+$/);
export const keyName = z.string().min(1).max(64);
/** The authenticator model's AAGUID (all zeros when attestation is `none` or the key is U2F). */
export const aaguid = z.string().max(36);
export const transports = z.array(z.string().max(32)).max(8);
