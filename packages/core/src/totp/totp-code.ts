import { randomBytes } from "node:crypto";
import { ScureBase32Plugin, verify } from "otplib";

/** RFC 6238 parameters every authenticator app understands (docs/api.md: SHA1, 6 digits, 30 s). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 §4 R6: the shared secret length MUST be at least 128 bits; 160 is RECOMMENDED. */
export const TOTP_SECRET_BYTES = 20;

const base32 = new ScureBase32Plugin();

export function newTotpSecret(): Uint8Array {
  return new Uint8Array(randomBytes(TOTP_SECRET_BYTES));
}

export function toBase32(secret: Uint8Array): string {
  return base32.encode(secret, { padding: false });
}

/**
 * Checks a code against the previous, current and next step around `now`.
 * A wrong code is a result (`undefined`), not an error; a match answers the step it matched,
 * which the caller must claim (replay guard) before trusting it.
 */
export async function matchTotpStep(secret: Uint8Array, code: string, now: Date): Promise<number | undefined> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    algorithm: "sha1",
  });
  // `epoch` is the start of the matched period, so the step is exact.
  return result.valid && "epoch" in result ? Math.floor(result.epoch / TOTP_PERIOD_SECONDS) : undefined;
}

/** Key Uri Format (Google Authenticator wiki), read by authenticator apps, 1Password and oathtool. */
export function otpauthUri(options: { issuer: string; account: string; secretBase32: string }): string {
  // "@" is legal in a URI path; keeping it readable matches docs/api.md's `{Issuer}:{email}` literally.
  const encode = (value: string) => encodeURIComponent(value).replace(/%40/g, "@");
  const label = `${encode(options.issuer)}:${encode(options.account)}`;
  const query = new URLSearchParams({
    secret: options.secretBase32,
    issuer: options.issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, "%20")}`;
}

/** The encryption context's purpose for TOTP secrets; the key policy on AWS allows the key for this purpose only. */
export const TOTP_SECRET_PURPOSE = "totp";

export function totpContext(userId: string) {
  return { purpose: TOTP_SECRET_PURPOSE, userId } as const;
}
