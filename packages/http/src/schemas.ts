import { z } from "zod";

/**
 * Request schemas of API.md. Bodies are strict (unknown fields are refused, so a typo never passes
 * silently); strings are bounded so nothing large reaches a use case.
 */
const email = z.string().trim().max(254).pipe(z.email());
const sixDigits = z.string().trim().regex(/^\d{6}$/, "Expected the 6-digit code from the authenticator app.");
/** A TOTP code, or a recovery code (`xxxxx-xxxxx`, hyphen and case optional). */
const codeOrRecoveryCode = z.string().trim().min(6).max(32);

export const signUpBody = z.strictObject({
  email,
  password: z.string().min(12, "Use at least 12 characters.").max(1024),
  name: z.string().trim().min(1).max(200),
});

export const loginBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().min(1).max(1024),
});

export const totpChallengeBody = z.strictObject({ code: sixDigits, rememberDevice: z.boolean().optional() });

export const recoveryCodeChallengeBody = z.strictObject({
  code: z.string().trim().min(10).max(32),
  rememberDevice: z.boolean().optional(),
});

export const activateTotpBody = z.strictObject({ code: sixDigits });

export const secondFactorCodeBody = z.strictObject({ code: codeOrRecoveryCode });

export const challengePath = z.object({ challengeId: z.string().min(1).max(128) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
});
