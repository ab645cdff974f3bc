import { createHash, randomBytes } from "node:crypto";

/** A bearer secret: 256 bits, URL-safe. Only its hash is ever stored. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** An opaque identifier with a readable prefix (`usr_…`); 128 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}

/**
 * Tokens, challenge ids and recovery codes are looked up by this hash (a table key, or an attribute name), so no secret
 * is ever compared byte by byte in our code (TOTP codes are compared by otplib in constant time).
 */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
