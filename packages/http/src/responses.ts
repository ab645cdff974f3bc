import * as z from "zod";
import { DETAIL_TYPES } from "@twofactor/events";
import { droppable } from "./droppable.js";

/**
 * What the handlers answer, as zod schemas: the response side of the contract. routes.ts names one
 * per status of each route, openapi.ts turns them into the document's components, and the e2e tests
 * check every answer against that document. The types below (`z.infer`) are the wire types a client
 * sees; the use cases keep their own TypeScript types.
 *
 * Only what the server does is here. Each schema is built through `droppable` (droppable.ts), so
 * that a function's bundle builds only the answers of its own route.
 */

/** The named components of the OpenAPI document: each schema registered here is a `$ref` there. */
export const components = /* @__PURE__ */ droppable(() => z.registry<{ id: string; description?: string }>());

function component<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  components.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}

const timestamp = /* @__PURE__ */ droppable(() => z.iso.datetime().describe("ISO-8601 UTC."));
const opaqueId = (what: string) => z.string().min(1).describe(`${what} Opaque.`);
const base64url = /* @__PURE__ */ droppable(() => z.string().regex(/^[A-Za-z0-9_-]*$/).describe("base64url, no padding."));
const secondFactorMethod = /* @__PURE__ */ droppable(() => z.enum(["totp", "webauthn", "recovery_code"]));
const recoveryCodeList = /* @__PURE__ */ droppable(() => z.array(z.string().regex(/^[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$/)).length(10));

export const problem = /* @__PURE__ */ droppable(() => component("Problem", z.strictObject({
  type: z.url().describe("Identifies the problem type; one per `code`."),
  title: z.string().describe("The HTTP reason phrase of `status`."),
  status: z.int().min(400).max(599),
  detail: z.string().describe("For humans; never echoes a secret."),
  code: z.string().regex(/^[a-z][a-z0-9_]*$/).describe("Stable, machine-readable."),
  errors: z.array(z.strictObject({
    path: z.string().describe("Dotted path of the field (`code`, `response.id`), or `body` / `query` for the whole."),
    message: z.string(),
  })).optional().describe("Only on `validation_failed`: one entry per refused field."),
}), "RFC 9457 problem details."));

export const health = /* @__PURE__ */ droppable(() => component("Health", z.strictObject({ status: z.literal("ok") })));

export const securityScore = /* @__PURE__ */ droppable(() => component("SecurityScore", z.strictObject({
  score: z.int().min(0).max(100).describe("The sum of the points of the factors met."),
  factors: z.array(z.strictObject({
    id: z.enum(["two_factor", "security_key", "recovery_codes", "backup_factor"]),
    met: z.boolean(),
    points: z.int().min(0).describe("What the factor is worth."),
    advice: z.string().nullable().describe("How to meet the factor; null when it is met."),
  })),
})));

export const user = /* @__PURE__ */ droppable(() => component("User", z.strictObject({
  id: opaqueId("The user's id."),
  email: z.email().describe("Normalised to lower case."),
  name: z.string(),
  createdAt: timestamp,
  twoFactor: z.strictObject({
    enabled: z.boolean().describe("True once a first factor (authenticator app or security key) is active."),
    methods: z.array(secondFactorMethod).describe("The factors a login challenge offers."),
    needsSetup: z.boolean().describe("True while a team enforces 2FA and the user has no factor: only setup is allowed."),
    enforcedBy: z.array(z.string()).describe("The teams whose enforcement holds the user."),
    pendingReset: z.strictObject({
      teamId: z.string(),
      requestedBy: z.string().describe("The user id of the admin who asked for it."),
      effectiveAt: timestamp.describe("When it takes effect, unless the user proves a second factor before."),
    }).nullable().describe("A reset of the user's 2FA that a team admin requested; null when there is none."),
  }),
  recoveryCodesRemaining: z.int().min(0).max(10).describe("Unused recovery codes; 0 while 2FA is off."),
  securityScore,
})));

export const userResponse = /* @__PURE__ */ droppable(() => component("UserResponse", z.strictObject({ user })));

export const session = /* @__PURE__ */ droppable(() => component("Session", z.strictObject({
  token: z.string().min(1).describe("The bearer token: `Authorization: Bearer <token>`. Shown only here."),
  expiresAt: timestamp,
  scope: z.enum(["full", "setup"]).describe("`setup`: a team enforces 2FA and the user has none yet; only setup calls are allowed."),
})));

export const signedIn = /* @__PURE__ */ droppable(() => component("SignedIn", z.strictObject({
  session,
  user,
  deviceToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional()
    .describe("Only with `rememberDevice: true`: the device-trust token, also set as the `device_trust` cookie. Send it back as `X-Device-Token` from clients without cookies."),
})));

export const reauthenticated = /* @__PURE__ */ droppable(() => component("Reauthenticated", z.strictObject({
  reauthenticatedUntil: timestamp.describe("Until when this session may change factors without another proof."),
})));

export const loginAuthenticated = /* @__PURE__ */ droppable(() => component("LoginAuthenticated", z.strictObject({
  status: z.literal("authenticated"),
  session,
  user,
}), "No second factor is needed: 2FA is off, or this is a trusted device, unchanged."));

export const loginSetupRequired = /* @__PURE__ */ droppable(() => component("LoginSetupRequired", z.strictObject({
  status: z.literal("setup_required"),
  session,
  user,
}), "A team enforces 2FA and the user has none: a setup-scoped session."));

export const loginSignedIn = /* @__PURE__ */ droppable(() => z.discriminatedUnion("status", [loginAuthenticated, loginSetupRequired]));
components.add(loginSignedIn, { id: "LoginSignedIn" });

export const loginTwoFactorRequired = /* @__PURE__ */ droppable(() => component("LoginTwoFactorRequired", z.strictObject({
  status: z.literal("two_factor_required"),
  challenge: z.strictObject({
    id: opaqueId("The login challenge: `POST /v1/auth/challenges/{challengeId}/...`. Lives 5 minutes, single use."),
    expiresAt: timestamp,
    methods: z.array(secondFactorMethod).min(1).describe("Only the factors this user has."),
  }),
}), "A second factor is needed: complete the challenge with one of `challenge.methods`."));

export const totpEnrollment = /* @__PURE__ */ droppable(() => component("TotpEnrollment", z.strictObject({
  secret: z.string().regex(/^[A-Z2-7]{32}$/).describe("The shared secret, base32 without padding (160 bits). Shown only here."),
  otpauthUri: z.string().regex(/^otpauth:\/\/totp\//)
    .describe("Key Uri Format: `otpauth://totp/{Issuer}:{email}?secret=...&issuer={Issuer}&algorithm=SHA1&digits=6&period=30`."),
  qrCode: z.string().regex(/^data:image\/png;base64,/).describe("A PNG of `otpauthUri` as a data URL."),
})));

export const recoveryCodes = /* @__PURE__ */ droppable(() => component("RecoveryCodes", z.strictObject({
  recoveryCodes: recoveryCodeList.describe("Shown this once. Case, blanks and the hyphen do not matter when typed back."),
})));

const credentialDescriptor = /* @__PURE__ */ droppable(() => component("PublicKeyCredentialDescriptorJSON", z.looseObject({
  id: base64url,
  type: z.literal("public-key"),
  transports: z.array(z.string()).optional().describe("AuthenticatorTransport values: usb, nfc, ble, internal, hybrid, ..."),
})));

const creationOptions = /* @__PURE__ */ droppable(() => component("PublicKeyCredentialCreationOptionsJSON", z.looseObject({
  rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
  user: z.looseObject({ id: base64url, name: z.string(), displayName: z.string() }),
  challenge: base64url,
  pubKeyCredParams: z.array(z.looseObject({ alg: z.int(), type: z.literal("public-key") })),
  timeout: z.int().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z.looseObject({}).optional(),
  attestation: z.string().optional(),
  extensions: z.looseObject({}).optional(),
  hints: z.array(z.string()).optional(),
}), "For `navigator.credentials.create()` (WebAuthn Level 3, as @simplewebauthn/browser takes it). Excludes the user's keys."));

const requestOptions = /* @__PURE__ */ droppable(() => component("PublicKeyCredentialRequestOptionsJSON", z.looseObject({
  challenge: base64url,
  timeout: z.int().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: z.enum(["required", "preferred", "discouraged"]).optional(),
  extensions: z.looseObject({}).optional(),
  hints: z.array(z.string()).optional(),
}), "For `navigator.credentials.get()` (WebAuthn Level 3, as @simplewebauthn/browser takes it). Allows only the user's keys."));

export const creationOptionsResponse = /* @__PURE__ */ droppable(() => component("CreationOptionsResponse", z.strictObject({ options: creationOptions })));
export const requestOptionsResponse = /* @__PURE__ */ droppable(() => component("RequestOptionsResponse", z.strictObject({ options: requestOptions })));

export const securityKey = /* @__PURE__ */ droppable(() => component("SecurityKey", z.strictObject({
  id: base64url.min(1).describe("The credential id (base64url)."),
  name: z.string().min(1).max(64),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable().describe("ISO-8601 UTC; null until the key signs a login."),
  transports: z.array(z.string()).describe("AuthenticatorTransport values: usb, nfc, ble, internal, hybrid, ..."),
  cloneDetectedAt: timestamp.optional()
    .describe("Only when the key's signature counter went backwards (a suspected clone): it no longer signs in until removed."),
})));

export const securityKeyResponse = /* @__PURE__ */ droppable(() => component("SecurityKeyResponse", z.strictObject({ key: securityKey })));

export const securityKeyRegistered = /* @__PURE__ */ droppable(() => component("SecurityKeyRegistered", z.strictObject({
  key: securityKey,
  recoveryCodes: recoveryCodeList.optional()
    .describe("Only when this key turned 2FA on (the user's first factor): a fresh set of 10, shown this once."),
})));

export const securityKeyList = /* @__PURE__ */ droppable(() => component("SecurityKeyList", z.strictObject({
  items: z.array(securityKey).max(10).describe("Oldest first; all of them (at most 10)."),
  nextCursor: z.null().describe("Always null: one page holds every key."),
})));

export const securityEvent = /* @__PURE__ */ droppable(() => component("SecurityEvent", z.strictObject({
  eventId: opaqueId("The event's id; the same on every delivery."),
  type: z.enum(DETAIL_TYPES).describe("The event's detail type."),
  occurredAt: timestamp,
  actor: z.string().min(1).describe("The user id of who did it, or `system`."),
  userId: opaqueId("The affected user.").optional(),
  teamId: opaqueId("The affected team.").optional(),
  ip: z.string().optional().describe("The caller's IP address, where there was a caller."),
  userAgent: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).describe("The event's own fields; never a secret, code or token."),
  mailed: z.literal(true).optional()
    .describe("In the user's own log: the user was told of this event by mail. Absent when no mail went (or none is sent for its type)."),
})));

export const securityEventPage = /* @__PURE__ */ droppable(() => component("SecurityEventPage", z.strictObject({
  items: z.array(securityEvent).describe("Newest first."),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
})));

export const trustedDevice = /* @__PURE__ */ droppable(() => component("TrustedDevice", z.strictObject({
  id: opaqueId("The device's id."),
  label: z.string().describe("Browser and system, e.g. `Chrome 130 on Linux`."),
  network: z.string().describe("The network it is bound to: an IPv4 /24 or IPv6 /48 prefix."),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  expiresAt: timestamp.describe("Absolute: using the device does not extend it."),
})));

export const trustedDevicePage = /* @__PURE__ */ droppable(() => component("TrustedDevicePage", z.strictObject({
  items: z.array(trustedDevice).describe("Live devices, oldest first."),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
})));

const teamRole = /* @__PURE__ */ droppable(() => z.enum(["owner", "admin", "member", "auditor"]));

export const team = /* @__PURE__ */ droppable(() => component("Team", z.strictObject({
  id: opaqueId("The team's id."),
  name: z.string(),
  createdAt: timestamp,
  memberCount: z.int().min(0),
  role: teamRole.describe("The caller's own role."),
  enforcementEnabled: z.boolean(),
})));
export const teamResponse = /* @__PURE__ */ droppable(() => component("TeamResponse", z.strictObject({ team })));

export const member = /* @__PURE__ */ droppable(() => component("Member", z.strictObject({
  userId: opaqueId("The member's user id."),
  email: z.email(),
  role: teamRole,
  twoFactorEnabled: z.boolean(),
  needsSetup: z.boolean(),
})));
export const memberResponse = /* @__PURE__ */ droppable(() => component("MemberResponse", z.strictObject({ member })));
export const memberPage = /* @__PURE__ */ droppable(() => component("MemberPage", z.strictObject({
  items: z.array(member),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
})));

const page = (description: string) => z.string().nullable().describe(description);
const nextPage = "Pass as `cursor` for the next page; null on the last.";

export const teamInvitation = /* @__PURE__ */ droppable(() => component("TeamInvitation", z.strictObject({
  id: opaqueId("The invitation's id."),
  teamId: z.string(),
  email: z.email().describe("The invited address, in lower case."),
  role: teamRole,
  invitedBy: z.string().describe("The user id of who invited."),
  createdAt: timestamp,
  expiresAt: timestamp,
})));
export const teamInvitationResponse = /* @__PURE__ */ droppable(() => component("TeamInvitationResponse", z.strictObject({ invitation: teamInvitation })));
export const teamInvitationPage = /* @__PURE__ */ droppable(() => component("TeamInvitationPage", z.strictObject({
  items: z.array(teamInvitation).describe("Live invitations, oldest first."),
  nextCursor: page(nextPage),
})));

export const myInvitation = /* @__PURE__ */ droppable(() => component("MyInvitation", z.strictObject({
  id: opaqueId("The invitation's id."),
  team: z.strictObject({ id: z.string(), name: z.string() }),
  role: teamRole,
  invitedBy: z.strictObject({ name: z.string() }),
  createdAt: timestamp,
  expiresAt: timestamp,
})));
export const myInvitationPage = /* @__PURE__ */ droppable(() => component("MyInvitationPage", z.strictObject({
  items: z.array(myInvitation).describe("Live invitations to the caller's address."),
  nextCursor: page(nextPage),
})));

export const myTeam = /* @__PURE__ */ droppable(() => component("MyTeam", z.strictObject({
  team: z.strictObject({ id: z.string(), name: z.string() }),
  role: teamRole.describe("The caller's role in it."),
  joinedAt: timestamp,
  enforcing: z.boolean().describe("The team enforces 2FA on its members."),
})));
export const myTeamPage = /* @__PURE__ */ droppable(() => component("MyTeamPage", z.strictObject({
  items: z.array(myTeam).describe("Oldest membership first."),
  nextCursor: page(nextPage),
})));

export const reset = /* @__PURE__ */ droppable(() => component("TwoFactorResetRequest", z.strictObject({
  userId: z.string().describe("The member whose 2FA is reset."),
  teamId: z.string(),
  requestedBy: z.string().describe("The admin's user id."),
  requestedAt: timestamp,
  effectiveAt: timestamp.describe("When it takes effect, unless the member proves a second factor before."),
})));
export const resetResponse = /* @__PURE__ */ droppable(() => component("TwoFactorResetResponse", z.strictObject({ reset })));

export const enforcement = /* @__PURE__ */ droppable(() => component("Enforcement", z.strictObject({
  enabled: z.boolean(),
  enabledAt: timestamp.nullable(),
  enabledBy: z.string().nullable(),
  rollout: z.strictObject({
    state: z.enum(["pending", "running", "complete"]),
    membersTotal: z.int().min(0),
    membersProcessed: z.int().min(0),
    membersNeedingSetup: z.int().min(0),
    completedAt: timestamp.nullable(),
  }),
})));
export const enforcementResponse = /* @__PURE__ */ droppable(() => component("EnforcementResponse", z.strictObject({ enforcement })));

/** The team audit log as CSV (`Accept: text/csv`): one header row, one row per event. */
export const auditCsv = /* @__PURE__ */ droppable(() => z.string().describe("text/csv: the same page, the next page in a `Link` header."));

export const openApiDocument = /* @__PURE__ */ droppable(() => component("OpenApiDocument", z.looseObject({
  openapi: z.string(),
  info: z.looseObject({}),
  paths: z.looseObject({}),
}), "This document."));

export type Problem = z.infer<typeof problem>;
export type Health = z.infer<typeof health>;
export type SecurityScore = z.infer<typeof securityScore>;
export type User = z.infer<typeof user>;
export type UserResponse = z.infer<typeof userResponse>;
export type Session = z.infer<typeof session>;
export type SignedIn = z.infer<typeof signedIn>;
export type LoginAuthenticated = z.infer<typeof loginAuthenticated>;
export type LoginTwoFactorRequired = z.infer<typeof loginTwoFactorRequired>;
export type TotpEnrollment = z.infer<typeof totpEnrollment>;
export type RecoveryCodes = z.infer<typeof recoveryCodes>;
export type CreationOptionsResponse = z.infer<typeof creationOptionsResponse>;
export type RequestOptionsResponse = z.infer<typeof requestOptionsResponse>;
export type SecurityKey = z.infer<typeof securityKey>;
export type SecurityKeyResponse = z.infer<typeof securityKeyResponse>;
export type SecurityKeyRegistered = z.infer<typeof securityKeyRegistered>;
export type SecurityKeyList = z.infer<typeof securityKeyList>;
export type SecurityEvent = z.infer<typeof securityEvent>;
export type SecurityEventPage = z.infer<typeof securityEventPage>;
export type Reauthenticated = z.infer<typeof reauthenticated>;
export type TrustedDevicePage = z.infer<typeof trustedDevicePage>;
