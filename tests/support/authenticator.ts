import { HOTP, Secret, TOTP } from "otpauth";
import { testClock, TOTP_STEP_MS } from "./clock.js";

/**
 * The authenticator app of the tests: `otpauth`, an RFC 4226/6238 implementation written by others
 * and independent of the server's otplib. Codes default to the instant of the test clock, which is
 * the clock the system under test reads.
 */
export function totpCode(secretBase32: string, at: Date = testClock.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: "SHA1", digits: 6, period: TOTP_STEP_MS / 1000 })
    .generate({ timestamp: at.getTime() });
}

/** The test clock's instant `steps` TOTP steps away (negative: earlier). */
export function inSteps(steps: number): Date {
  return new Date(testClock.now().getTime() + steps * TOTP_STEP_MS);
}

/** RFC 4226 HOTP of a raw secret (the published vectors give it as ASCII). */
export function hotpCodeOf(secretAscii: string, counter: number, digits = 6): string {
  return new HOTP({ secret: Secret.fromLatin1(secretAscii), algorithm: "SHA1", digits }).generate({ counter });
}

/** RFC 6238 TOTP of a raw secret at `seconds` since the epoch, for any algorithm and length. */
export function totpCodeOf(secretAscii: string, seconds: number, options: { algorithm?: "sha1" | "sha256" | "sha512"; digits?: number } = {}): string {
  return new TOTP({ secret: Secret.fromLatin1(secretAscii), algorithm: (options.algorithm ?? "sha1").toUpperCase(), digits: options.digits ?? 6, period: 30 })
    .generate({ timestamp: seconds * 1000 });
}
