import QRCode from "qrcode";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import {
  RFC4226_HOTP, RFC4226_SECRET_ASCII, RFC6238_SECRETS_ASCII, RFC6238_TOTP, type Rfc6238Algorithm,
} from "../../../../tests/fixtures/rfc-vectors.js";
import { hotpCodeOf, totpCode, totpCodeOf } from "../../../../tests/support/authenticator.js";
import { readQrCode } from "../../../../tests/support/qr-code.js";
import { matchTotpStep, newTotpSecret, otpauthUri, toBase32 } from "./totp-code.js";

const bytes = (ascii: string) => new TextEncoder().encode(ascii);
const at = (seconds: number) => new Date(seconds * 1000);

describe("RFC 4226 HOTP vectors", () => {
  it.each(RFC4226_HOTP)("counter $counter gives $code, by otplib and by otpauth", async ({ counter, code }) => {
    expect(await generate({ strategy: "hotp", secret: bytes(RFC4226_SECRET_ASCII), counter })).toBe(code);
    expect(hotpCodeOf(RFC4226_SECRET_ASCII, counter)).toBe(code);
    // TOTP is HOTP of the step: the server's check finds each code at its counter's step.
    expect(await matchTotpStep(bytes(RFC4226_SECRET_ASCII), code, at(counter * 30 + 15))).toBe(counter);
  });
});

describe("RFC 6238 TOTP vectors", () => {
  const cases = RFC6238_TOTP.flatMap((row) =>
    (["sha1", "sha256", "sha512"] as Rfc6238Algorithm[]).map((algorithm) => ({ algorithm, time: row.time, code: row[algorithm] })));

  it.each(cases)("$algorithm at T=$time gives $code, by otplib and by otpauth", async ({ algorithm, time, code }) => {
    const secret = RFC6238_SECRETS_ASCII[algorithm];
    expect(await generate({ secret: bytes(secret), epoch: time, digits: 8, algorithm })).toBe(code);
    expect(totpCodeOf(secret, time, { algorithm, digits: 8 })).toBe(code);
  });

  it.each(RFC6238_TOTP)("our 6-digit SHA-1 check matches T=$time at its own step", async ({ time, sha1 }) => {
    // A 6-digit code is the same HMAC truncation mod 10^6: the vector's last six digits.
    const step = Math.floor(time / 30);
    expect(await matchTotpStep(bytes(RFC6238_SECRETS_ASCII.sha1), sha1.slice(-6), at(time))).toBe(step);
  });
});

describe("matchTotpStep", () => {
  const secret = bytes(RFC6238_SECRETS_ASCII.sha1);
  const now = 1234567890;
  const codeAt = (seconds: number) => totpCodeOf(RFC6238_SECRETS_ASCII.sha1, seconds);

  it("accepts the previous, current and next step and answers which", async () => {
    const step = Math.floor(now / 30);
    expect(await matchTotpStep(secret, codeAt(now - 30), at(now))).toBe(step - 1);
    expect(await matchTotpStep(secret, codeAt(now), at(now))).toBe(step);
    expect(await matchTotpStep(secret, codeAt(now + 30), at(now))).toBe(step + 1);
  });

  it("refuses codes two steps away and wrong codes", async () => {
    expect(await matchTotpStep(secret, codeAt(now - 60), at(now))).toBeUndefined();
    expect(await matchTotpStep(secret, codeAt(now + 60), at(now))).toBeUndefined();
    const wrong = String((Number(codeAt(now)) + 1) % 1_000_000).padStart(6, "0");
    expect(await matchTotpStep(secret, wrong, at(now))).toBeUndefined();
  });
});

describe("enrollment secret and URI", () => {
  it("makes 160-bit secrets that an authenticator app reads in base32", async () => {
    const secret = newTotpSecret();
    expect(secret).toHaveLength(20);
    const base32 = toBase32(secret);
    expect(base32).toMatch(/^[A-Z2-7]{32}$/);
    const code = totpCode(base32, at(1700000000));
    expect(await matchTotpStep(secret, code, at(1700000000))).toBe(Math.floor(1700000000 / 30));
  });

  it("writes the Key Uri Format of docs/api.md", () => {
    expect(otpauthUri({ issuer: "TwoFactor", account: "ada@example.com", secretBase32: "JBSWY3DPEHPK3PXP" })).toBe(
      "otpauth://totp/TwoFactor:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=TwoFactor&algorithm=SHA1&digits=6&period=30",
    );
    expect(otpauthUri({ issuer: "Acme Co", account: "a+b@example.com", secretBase32: "JBSWY3DPEHPK3PXP" })).toBe(
      "otpauth://totp/Acme%20Co:a%2Bb@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Co&algorithm=SHA1&digits=6&period=30",
    );
  });

  it("encodes the URI in a QR code that a QR reader decodes back to the same URI", async () => {
    const uri = otpauthUri({ issuer: "TwoFactor", account: "ada@example.com", secretBase32: toBase32(newTotpSecret()) });
    const dataUrl = await QRCode.toDataURL(uri);
    expect(readQrCode(dataUrl)).toBe(uri);
  });
});
