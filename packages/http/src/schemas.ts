import * as z from "zod";
import { characterCount, DETAIL_TYPES, type DetailType } from "@twofactor/events";
import { droppable } from "./droppable.js";

/**
 * Request schemas of docs/api.md. Bodies are strict (unknown fields are refused, so a typo never passes
 * silently); strings are bounded so nothing large reaches a use case. Each is built through
 * `droppable` (droppable.ts), so that a function's bundle builds only the schemas its route uses.
 */
// Trimmed first, then checked: the format also reaches the OpenAPI document (a pipe would hide it).
const email = /* @__PURE__ */ droppable(() => z.string().trim().email().max(254));
const sixDigits = /* @__PURE__ */ droppable(() => z.string().trim().regex(/^\d{6}$/, "Expected the 6-digit code from the authenticator app."));
/**
 * A TOTP code or a recovery code (`xxxxx-xxxxx`, hyphen and case optional). Any short string is
 * well-formed here: a wrong one is a failed attempt (401 invalid_code, counted), not a 400.
 */
const codeOrRecoveryCode = /* @__PURE__ */ droppable(() => z.string().trim().min(1).max(64));

/** docs/api.md: names are 1–64 characters, counted as Unicode code points after NFC (see characterCount). */
export const DISPLAY_NAME_MAX_CHARS = 64;
/**
 * Characters a name may not hold: controls (Cc), format characters (Cf, which include the bidi
 * overrides and isolates U+202A–U+202E, U+2066–U+2069 and the zero-width characters), lone
 * surrogates (Cs: a pair is one code point and never matches) and line or paragraph separators.
 */
const NAME_ALLOWED = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]*$/u;

/**
 * Text that people type and others see — a user's, a security key's, a team's `name` (docs/api.md,
 * Conventions): NFC-normalised and trimmed, then 1–64 characters with no control, format or
 * bidi-override character and no lone surrogate. Every schema that takes a name uses this one, so
 * the rule cannot drift between routes. What passes is what is stored.
 */
export const displayName = /* @__PURE__ */ droppable(() => z.string()
  .overwrite((text) => text.normalize("NFC"))
  .trim()
  .min(1, `Use 1 to ${DISPLAY_NAME_MAX_CHARS} characters.`)
  .refine((text) => characterCount(text) <= DISPLAY_NAME_MAX_CHARS, `Use 1 to ${DISPLAY_NAME_MAX_CHARS} characters.`)
  .regex(NAME_ALLOWED, "Remove control, format and bidi-override characters and lone surrogates.")
  // The documented bound is the one enforced above: JSON Schema's maxLength counts code points too.
  .meta({ maxLength: DISPLAY_NAME_MAX_CHARS }));

export const signUpBody = /* @__PURE__ */ droppable(() => z.strictObject({
  email,
  password: z.string().min(12, "Use at least 12 characters.").max(1024),
  name: displayName,
}));

export const loginBody = /* @__PURE__ */ droppable(() => z.strictObject({
  email: z.string().max(254),
  password: z.string().min(1).max(1024),
}));

/** docs/api.md's `rememberDevice`: on a successful challenge, the browser becomes a trusted device. */
const rememberDevice = /* @__PURE__ */ droppable(() => z.boolean().optional()
  .describe("Trust this browser on this network for later logins: answers `deviceToken` and sets the `device_trust` cookie."));

export const totpChallengeBody = /* @__PURE__ */ droppable(() => z.strictObject({ code: sixDigits, rememberDevice }));

export const recoveryCodeChallengeBody = /* @__PURE__ */ droppable(() => z.strictObject({
  code: codeOrRecoveryCode,
  rememberDevice,
}));

export const activateTotpBody = /* @__PURE__ */ droppable(() => z.strictObject({ code: sixDigits }));

export const secondFactorCodeBody = /* @__PURE__ */ droppable(() => z.strictObject({ code: codeOrRecoveryCode }));

/** With no code, a recently authenticated session stands for the proof (docs/api.md, Recent authentication). */
export const regenerateRecoveryCodesBody = /* @__PURE__ */ droppable(() => z.strictObject({ code: codeOrRecoveryCode.optional() }).optional());

/** A login challenge's id, as issued: the user's id, a dot and 256 random bits in base64url (43 characters). */
export const challengePath = /* @__PURE__ */ droppable(() => z.object({
  challengeId: z.string().regex(/^usr_[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}$/, "Expected the challenge.id of a login answer."),
}));

export const pageQuery = /* @__PURE__ */ droppable(() => z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
}));

/**
 * WebAuthn responses (`RegistrationResponseJSON`, `AuthenticationResponseJSON` of @simplewebauthn)
 * checked for shape only: base64url fields of bounded length, so that garbage is a 400 here and the
 * library sees only well-formed input. The cryptography is the use case's job (a refusal there is
 * `invalid_registration` or a 401 `invalid_assertion`). Inner objects strip unknown fields rather
 * than refuse them: browsers add fields over time, and what the library reads is all that matters.
 */
const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/, "Expected base64url.");
const credentialId = /* @__PURE__ */ droppable(() => base64url(1400));
const clientExtensionResults = /* @__PURE__ */ droppable(() => z.record(z.string().max(64), z.unknown()).refine((r) => Object.keys(r).length <= 16));
const credentialFields = /* @__PURE__ */ droppable(() => ({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: clientExtensionResults.default({}),
}));

export const registrationResponse = /* @__PURE__ */ droppable(() => z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(12_000),
    authenticatorData: base64url(8192).optional(),
    transports: z.array(z.string().max(32)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
}));

export const authenticationResponse = /* @__PURE__ */ droppable(() => z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    // Absent for U2F keys; some clients send null or "" instead.
    userHandle: z.string().max(128).regex(/^[A-Za-z0-9_-]*$/).nullish().transform((v) => v || undefined),
  }),
}));

/** A security key's name: what its owner will recognise it by in the list. */
const securityKeyName = displayName;

/** A security key's id in a path: its credential id, as the key list shows it. */
export const securityKeyPath = /* @__PURE__ */ droppable(() => z.object({ keyId: credentialId }));

/** A trusted device's id, as issued (`dev_` and 128 random bits in base64url). */
export const devicePath = /* @__PURE__ */ droppable(() => z.object({
  deviceId: z.string().regex(/^dev_[A-Za-z0-9_-]{22}$/, "Expected a trusted device's id."),
}));

export const registerSecurityKeyBody = /* @__PURE__ */ droppable(() => z.strictObject({ name: securityKeyName, response: registrationResponse }));

export const renameSecurityKeyBody = /* @__PURE__ */ droppable(() => z.strictObject({ name: securityKeyName }));

export const webauthnChallengeBody = /* @__PURE__ */ droppable(() => z.strictObject({ response: authenticationResponse, rememberDevice }));

export const reauthenticateWebAuthnBody = /* @__PURE__ */ droppable(() => z.strictObject({ response: authenticationResponse }));

/** A team's name is a display name like a user's (docs/api.md): NFC, trimmed, 1–64 characters, nothing hidden. */
export const createTeamBody = /* @__PURE__ */ droppable(() => z.strictObject({ name: displayName }));

export const teamRole = /* @__PURE__ */ droppable(() => z.enum(["owner", "admin", "member", "auditor"]));

export const invitationBody = /* @__PURE__ */ droppable(() => z.strictObject({ email, role: teamRole }));

export const enforcementBody = /* @__PURE__ */ droppable(() => z.strictObject({ enabled: z.boolean() }));

const isoInstant = /* @__PURE__ */ droppable(() => z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString()));

/** The team audit log's filters (docs/api.md); a bad one is a 400, never an empty page. */
export const teamAuditQuery = /* @__PURE__ */ droppable(() => pageQuery.extend({
  type: z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]]).optional(),
  userId: z.string().min(1).max(128).optional(),
  since: isoInstant.optional(),
  until: isoInstant.optional(),
}).refine((q) => !q.since || !q.until || q.since <= q.until, { message: "since must not be after until.", path: ["since"] }));

/** A team's id, as issued (`team_` and 128 random bits in base64url). */
export const teamPath = /* @__PURE__ */ droppable(() => z.object({
  teamId: z.string().regex(/^team_[A-Za-z0-9_-]{22}$/, "Expected a team's id."),
}));

/** An invitation's id, as issued (`inv_` and 128 random bits in base64url). */
const invitationId = /* @__PURE__ */ droppable(() => z.string().regex(/^inv_[A-Za-z0-9_-]{22}$/, "Expected an invitation's id."));

export const invitationPath = /* @__PURE__ */ droppable(() => z.object({ invitationId }));

export const teamInvitationPath = /* @__PURE__ */ droppable(() => teamPath.extend({ invitationId }));

/** A team and one of its members (`usr_` ids). */
export const teamMemberPath = /* @__PURE__ */ droppable(() => teamPath.extend({
  userId: z.string().regex(/^usr_[A-Za-z0-9_-]{22}$/, "Expected a user's id."),
}));
