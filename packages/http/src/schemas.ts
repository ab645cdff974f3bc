import { z } from "zod";
import { DETAIL_TYPES, type DetailType } from "@twofactor/events";

/**
 * Request schemas of API.md. Bodies are strict (unknown fields are refused, so a typo never passes
 * silently); strings are bounded so nothing large reaches a use case.
 */
// Trimmed first, then checked: the format also reaches the OpenAPI document (a pipe would hide it).
const email = z.string().trim().email().max(254);
const sixDigits = z.string().trim().regex(/^\d{6}$/, "Expected the 6-digit code from the authenticator app.");
/**
 * A TOTP code or a recovery code (`xxxxx-xxxxx`, hyphen and case optional). Any short string is
 * well-formed here: a wrong one is a failed attempt (401 invalid_code, counted), not a 400.
 */
const codeOrRecoveryCode = z.string().trim().min(1).max(64);

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
  code: codeOrRecoveryCode,
  rememberDevice: z.boolean().optional(),
});

export const activateTotpBody = z.strictObject({ code: sixDigits });

export const secondFactorCodeBody = z.strictObject({ code: codeOrRecoveryCode });

/** With no code, a recently authenticated session stands for the proof (API.md, Recent authentication). */
export const regenerateRecoveryCodesBody = z.strictObject({ code: codeOrRecoveryCode.optional() }).optional();

export const challengePath = z.object({ challengeId: z.string().min(1).max(128) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

/**
 * WebAuthn responses (`RegistrationResponseJSON`, `AuthenticationResponseJSON` of @simplewebauthn)
 * checked for shape only: base64url fields of bounded length, so that garbage is a 400 here and the
 * library sees only well-formed input. The cryptography is the use case's job (a refusal there is
 * `invalid_registration` or a 401 `invalid_assertion`). Inner objects strip unknown fields rather
 * than refuse them: browsers add fields over time, and what the library reads is all that matters.
 */
const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/, "Expected base64url.");
const credentialId = base64url(1400);
const clientExtensionResults = z.record(z.string().max(64), z.unknown()).refine((r) => Object.keys(r).length <= 16);
const credentialFields = {
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: clientExtensionResults.default({}),
};

export const registrationResponse = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(12_000),
    authenticatorData: base64url(8192).optional(),
    transports: z.array(z.string().max(32)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
});

export const authenticationResponse = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    // Absent for U2F keys; some clients send null or "" instead.
    userHandle: z.string().max(128).regex(/^[A-Za-z0-9_-]*$/).nullish().transform((v) => v || undefined),
  }),
});

/** A security key's name: what its owner will recognise it by in the list. */
const securityKeyName = z.string().trim().min(1, "Name the key.").max(64);

export const registerSecurityKeyBody = z.strictObject({ name: securityKeyName, response: registrationResponse });

export const renameSecurityKeyBody = z.strictObject({ name: securityKeyName });

export const webauthnChallengeBody = z.strictObject({ response: authenticationResponse, rememberDevice: z.boolean().optional() });

export const reauthenticateWebAuthnBody = z.strictObject({ response: authenticationResponse });

/** A team's name. TODO(merge): the shared display-name schema replaces this bound. */
const teamName = z.string().trim().min(1).max(64);

export const createTeamBody = z.strictObject({ name: teamName });

export const teamRole = z.enum(["owner", "admin", "member", "auditor"]);

export const addMemberBody = z.strictObject({ email, role: teamRole });

export const enforcementBody = z.strictObject({ enabled: z.boolean() });

const isoInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** The team audit log's filters (API.md); a bad one is a 400, never an empty page. */
export const teamAuditQuery = pageQuery.extend({
  type: z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]]).optional(),
  userId: z.string().min(1).max(128).optional(),
  since: isoInstant.optional(),
  until: isoInstant.optional(),
}).refine((q) => !q.since || !q.until || q.since <= q.until, { message: "since must not be after until.", path: ["since"] });
