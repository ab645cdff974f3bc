/**
 * The response side of the OpenAPI document: JSON Schemas (2020-12, as OpenAPI 3.1 uses) of what the
 * handlers answer, written by hand from the use cases' view types (UserView, IssuedSession,
 * SecurityKeyView, AuditEntry, ...). Request bodies are not here: openapi.ts generates them from the
 * zod schemas the handlers validate with.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const timestamp: Schema = { type: "string", format: "date-time", description: "ISO-8601 UTC." };
const id = (description: string): Schema => ({ type: "string", description: `${description} Opaque.` });
const object = (properties: Record<string, Schema>, required: string[] = Object.keys(properties), extra: Schema = {}): Schema =>
  ({ type: "object", properties, required, additionalProperties: false, ...extra });

const secondFactorMethod: Schema = { type: "string", enum: ["totp", "webauthn", "recovery_code"] };
const base64url: Schema = { type: "string", pattern: "^[A-Za-z0-9_-]*$", description: "base64url, no padding." };
const recoveryCodeList: Schema = {
  type: "array",
  minItems: 10,
  maxItems: 10,
  items: { type: "string", pattern: "^[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$" },
};
const transports: Schema = {
  type: "array",
  items: { type: "string", description: "An AuthenticatorTransport: usb, nfc, ble, internal, hybrid, ..." },
};

export const responseSchemas: Record<string, Schema> = {
  Problem: object({
    type: { type: "string", format: "uri", description: "Identifies the problem type; one per `code`." },
    title: { type: "string", description: "The HTTP reason phrase of `status`." },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string", description: "For humans; never echoes a secret." },
    code: { type: "string", pattern: "^[a-z][a-z0-9_]*$", description: "Stable, machine-readable." },
    errors: {
      type: "array",
      description: "Only on `validation_failed`: one entry per refused field.",
      items: object({
        path: { type: "string", description: "Dotted path of the field (`code`, `response.id`), or `body` / `query` for the whole." },
        message: { type: "string" },
      }),
    },
  }, ["type", "title", "status", "detail", "code"], { description: "RFC 9457 problem details." }),

  Health: object({ status: { const: "ok" } }),

  SecurityScore: object({
    score: { type: "integer", minimum: 0, maximum: 100, description: "The sum of the points of the factors met." },
    factors: {
      type: "array",
      items: object({
        id: { type: "string", enum: ["two_factor", "security_key", "recovery_codes", "backup_factor"] },
        met: { type: "boolean" },
        points: { type: "integer", minimum: 0, description: "What the factor is worth." },
        advice: { type: ["string", "null"], description: "How to meet the factor; null when it is met." },
      }),
    },
  }),

  User: object({
    id: id("The user's id."),
    email: { type: "string", format: "email", description: "Normalised to lower case." },
    name: { type: "string" },
    createdAt: timestamp,
    twoFactor: object({
      enabled: { type: "boolean", description: "True once a first factor (authenticator app or security key) is active." },
      methods: { type: "array", items: secondFactorMethod, uniqueItems: true, description: "The factors a login challenge offers." },
      needsSetup: { type: "boolean", description: "A team enforces 2FA and the user has no factor yet." },
      enforcedBy: { type: "array", items: id("A team's id."), description: "The teams that enforce 2FA on this user." },
    }),
    recoveryCodesRemaining: { type: "integer", minimum: 0, maximum: 10, description: "Unused recovery codes; 0 while 2FA is off." },
    securityScore: ref("SecurityScore"),
  }),

  UserResponse: object({ user: ref("User") }),

  Session: object({
    token: { type: "string", description: "The bearer token: `Authorization: Bearer <token>`. Shown only here." },
    expiresAt: timestamp,
    scope: {
      type: "string",
      enum: ["full", "setup"],
      description: "`setup`: only `GET /v1/me`, the enrollment endpoints and logout; everything else answers 403 `two_factor_setup_required`.",
    },
  }),

  SignedIn: object({
    session: ref("Session"),
    user: ref("User"),
    deviceToken: {
      type: "string",
      description: "Only with `rememberDevice: true`: the device-trust token, also set as the `device_trust` cookie.",
    },
  }, ["session", "user"]),

  LoginAuthenticated: object({ status: { const: "authenticated" }, session: ref("Session"), user: ref("User") }, undefined, {
    description: "No second factor is needed (2FA is off and nothing enforces it), or the device is trusted and unchanged.",
  }),

  LoginSetupRequired: object({ status: { const: "setup_required" }, session: ref("Session"), user: ref("User") }, undefined, {
    description: "A team of the user enforces 2FA and the user has none yet: the session has scope `setup`.",
  }),

  LoginTwoFactorRequired: object({
    status: { const: "two_factor_required" },
    challenge: object({
      id: id("The login challenge: `POST /v1/auth/challenges/{challengeId}/...`. Lives 5 minutes, single use."),
      expiresAt: timestamp,
      methods: { type: "array", items: secondFactorMethod, minItems: 1, uniqueItems: true, description: "Only the factors this user has." },
    }),
  }),

  TotpEnrollment: object({
    secret: { type: "string", pattern: "^[A-Z2-7]+$", description: "The shared secret, base32 without padding (160 bits). Shown only here." },
    otpauthUri: {
      type: "string",
      pattern: "^otpauth://totp/",
      description: "Key Uri Format: `otpauth://totp/{Issuer}:{email}?secret=...&issuer={Issuer}&algorithm=SHA1&digits=6&period=30`.",
    },
    qrCode: { type: "string", pattern: "^data:image/png;base64,", description: "A PNG of `otpauthUri` as a data URL." },
  }),

  Reauthenticated: object({ reauthenticatedUntil: { type: "string", format: "date-time" } }),
  RecoveryCodes: object({
    recoveryCodes: {
      ...recoveryCodeList,
      description: "Shown this once. Case, blanks and the hyphen do not matter when typed back.",
    },
  }),

  PublicKeyCredentialCreationOptionsJSON: {
    type: "object",
    description: "For `navigator.credentials.create()` (WebAuthn Level 3, as @simplewebauthn/browser takes it). Excludes the user's keys.",
    properties: {
      rp: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, required: ["name"] },
      user: { type: "object", properties: { id: base64url, name: { type: "string" }, displayName: { type: "string" } }, required: ["id", "name", "displayName"] },
      challenge: base64url,
      pubKeyCredParams: { type: "array", items: { type: "object", properties: { alg: { type: "integer" }, type: { const: "public-key" } }, required: ["alg", "type"] } },
      timeout: { type: "integer" },
      excludeCredentials: { type: "array", items: ref("PublicKeyCredentialDescriptorJSON") },
      authenticatorSelection: { type: "object" },
      attestation: { type: "string" },
      extensions: { type: "object" },
      hints: { type: "array", items: { type: "string" } },
    },
    required: ["rp", "user", "challenge", "pubKeyCredParams"],
  },

  PublicKeyCredentialRequestOptionsJSON: {
    type: "object",
    description: "For `navigator.credentials.get()` (WebAuthn Level 3, as @simplewebauthn/browser takes it). Allows only the user's keys.",
    properties: {
      challenge: base64url,
      timeout: { type: "integer" },
      rpId: { type: "string" },
      allowCredentials: { type: "array", items: ref("PublicKeyCredentialDescriptorJSON") },
      userVerification: { type: "string", enum: ["required", "preferred", "discouraged"] },
      extensions: { type: "object" },
      hints: { type: "array", items: { type: "string" } },
    },
    required: ["challenge"],
  },

  PublicKeyCredentialDescriptorJSON: {
    type: "object",
    properties: { id: base64url, type: { const: "public-key" }, transports },
    required: ["id", "type"],
  },

  CreationOptionsResponse: object({ options: ref("PublicKeyCredentialCreationOptionsJSON") }),
  RequestOptionsResponse: object({ options: ref("PublicKeyCredentialRequestOptionsJSON") }),

  SecurityKey: object({
    id: { ...base64url, description: "The credential id (base64url)." },
    name: { type: "string", maxLength: 64 },
    createdAt: timestamp,
    lastUsedAt: { type: ["string", "null"], format: "date-time", description: "ISO-8601 UTC; null until the key signs a login." },
    transports,
  }),

  SecurityKeyResponse: object({ key: ref("SecurityKey") }),

  SecurityKeyRegistered: object({
    key: ref("SecurityKey"),
    recoveryCodes: {
      ...recoveryCodeList,
      description: "Only when this key turned 2FA on (the user's first factor): a fresh set of 10, shown this once.",
    },
  }, ["key"]),

  SecurityKeyList: object({
    items: { type: "array", items: ref("SecurityKey"), description: "Oldest first; all of them (at most 10)." },
    nextCursor: { type: "null", description: "Always null: one page holds every key." },
  }),

  TrustedDevice: object({
    id: id("The device's id."),
    label: { type: "string", description: "Browser and system, e.g. `Chrome 130 on Linux`." },
    network: { type: "string", description: "The network it is bound to: an IPv4 /24 or IPv6 /48 prefix." },
    createdAt: timestamp,
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    expiresAt: timestamp,
  }),

  TrustedDevicePage: object({
    items: { type: "array", items: ref("TrustedDevice"), description: "Live devices, oldest first." },
    nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last." },
  }),

  SecurityEvent: object({
    eventId: id("The event's id; the same on every delivery."),
    type: { type: "string", description: "The event's detail type: `TwoFactorEnabled`, `LoginSucceeded`, ..." },
    occurredAt: timestamp,
    actor: { type: "string", description: "The user id of who did it, or `system`." },
    userId: id("The affected user."),
    teamId: id("The affected team."),
    ip: { type: "string", description: "The caller's IP address, where there was a caller." },
    userAgent: { type: "string" },
    detail: { type: "object", description: "The event's own fields; never a secret, code or token." },
  }, ["eventId", "type", "occurredAt", "actor", "detail"]),

  SecurityEventPage: object({
    items: { type: "array", items: ref("SecurityEvent"), description: "Newest first." },
    nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last." },
  }),

  OpenApiDocument: {
    type: "object",
    description: "This document.",
    properties: { openapi: { type: "string" }, info: { type: "object" }, paths: { type: "object" } },
    required: ["openapi", "info", "paths"],
  },
};

