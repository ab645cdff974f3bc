import { STATUS_CODES } from "node:http";
import { z } from "zod";
import { responseSchemas } from "./openapi-components.js";
import { MAX_BODY_BYTES } from "./parse-request.js";
import type { Access } from "./route.js";
import * as schemas from "./schemas.js";

/**
 * The API's OpenAPI 3.1 document, built from the route list (one operation per route, nothing else),
 * the zod schemas the handlers validate with (request bodies and query parameters, generated, never
 * re-declared) and one table of what each route answers. Response bodies are the hand-written
 * components of openapi-components.ts.
 */

/** A route as routes.ts lists it; `handler` (`functions/http/sign-up.handler`) names the operation. */
export interface DocumentedRoute {
  method: string;
  path: string;
  handler?: string;
}

type Schema = Record<string, unknown>;

interface Success {
  status: number;
  description: string;
  /** A component of openapi-components.ts, or a schema; none for an empty answer (204). */
  body?: string | Schema;
}

interface RouteDoc {
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /** A request schema of schemas.ts, exactly as the handler passes it to `route`. */
  body?: z.ZodType;
  query?: z.ZodObject;
  success: Success[];
  /** The codes the use case refuses with, by status; the edge's own (400, 401, 403, 413, 415, 503) are added. */
  errors?: Partial<Record<number, string[]>>;
  parameters?: Schema[];
}

const TAGS = {
  health: "Health",
  accounts: "Accounts and sessions",
  me: "The signed-in user",
  keys: "Security keys",
  meta: "Documentation",
  teams: "Teams",
} as const;

const teamSchema = { type: "object", properties: { team: { type: "object" } }, required: ["team"] };
const memberSchema = { type: "object", properties: { member: { type: "object" } }, required: ["member"] };
const enforcementSchema = { type: "object", properties: { enforcement: { type: "object" } }, required: ["enforcement"] };
const memberPageSchema = { type: "object", properties: { items: { type: "array", items: { type: "object" } }, nextCursor: { type: ["string", "null"] } }, required: ["items", "nextCursor"] };
const TEAM_404 = ["team_not_found"];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const LOCKED = "too_many_attempts";

/**
 * What each route of routes.ts answers, keyed by `METHOD /path`. A route missing here is still in
 * the document, with a generic description.
 */
export const routeDocs: Record<string, RouteDoc> = {
  "GET /v1/health": {
    summary: "Health check",
    description: "No authentication; the local server is up when this answers.",
    tag: TAGS.health,
    access: "public",
    success: [{ status: 200, description: "The service is up.", body: "Health" }],
  },
  "GET /v1/openapi.json": {
    summary: "This OpenAPI document",
    description: "Generated from the request schemas the handlers validate with.",
    tag: TAGS.meta,
    access: "public",
    success: [{ status: 200, description: "The OpenAPI 3.1 document.", body: "OpenApiDocument" }],
  },
  "POST /v1/users": {
    summary: "Sign up",
    description: "Creates an account with 2FA off. The email is normalised to lower case; the password needs at least 12 characters.",
    tag: TAGS.accounts,
    access: "public",
    body: schemas.signUpBody,
    success: [{ status: 201, description: "The new user.", body: "UserResponse" }],
    errors: { 409: ["email_taken"] },
  },
  "POST /v1/auth/login": {
    summary: "Log in with email and password",
    description: [
      "The first factor. A wrong email and a wrong password get the same 401 `invalid_credentials`, in similar time.",
      "10 wrong passwords in a row lock that account's password checks for 15 minutes (429 with `Retry-After`);",
      "a locked second factor does not stop this step, which still answers `two_factor_required`.",
      "Device trust is read from the cookie `device_trust` or the header `X-Device-Token`.",
    ].join(" "),
    tag: TAGS.accounts,
    access: "public",
    body: schemas.loginBody,
    parameters: [
      { name: "X-Device-Token", in: "header", required: false, schema: { type: "string" }, description: "A device-trust token (`deviceToken` of an earlier login)." },
      { name: "device_trust", in: "cookie", required: false, schema: { type: "string" }, description: "The device-trust cookie of an earlier login." },
    ],
    success: [
      { status: 200, description: "A second factor is needed: complete the challenge with one of `challenge.methods`.", body: "LoginTwoFactorRequired" },
      {
        status: 201,
        description: "Signed in (`authenticated`), or signed in to set up 2FA that a team enforces (`setup_required`, a setup-scoped session).",
        body: { oneOf: [ref("LoginAuthenticated"), ref("LoginSetupRequired")], discriminator: { propertyName: "status" } },
      },
    ],
    errors: { 401: ["invalid_credentials"], 429: [LOCKED] },
  },
  "POST /v1/auth/challenges/{challengeId}/totp": {
    summary: "Complete a login with an authenticator-app code",
    description: "Codes of the previous, current and next 30 s step are accepted, each step once. A failure leaves the challenge for another try; the first success uses it up.",
    tag: TAGS.accounts,
    access: "public",
    body: schemas.totpChallengeBody,
    success: [{ status: 201, description: "Signed in.", body: "SignedIn" }],
    errors: { 401: ["invalid_code"], 404: ["challenge_not_found"], 429: [LOCKED] },
  },
  "POST /v1/auth/challenges/{challengeId}/recovery-code": {
    summary: "Complete a login with a recovery code",
    description: "Each recovery code works once. Case, blanks and the hyphen do not matter.",
    tag: TAGS.accounts,
    access: "public",
    body: schemas.recoveryCodeChallengeBody,
    success: [{ status: 201, description: "Signed in.", body: "SignedIn" }],
    errors: { 401: ["invalid_code"], 404: ["challenge_not_found"], 429: [LOCKED] },
  },
  "POST /v1/auth/challenges/{challengeId}/webauthn/options": {
    summary: "Security-key options for a login challenge",
    description: "Options for `navigator.credentials.get()` that allow the user's keys only.",
    tag: TAGS.accounts,
    access: "public",
    success: [{ status: 200, description: "The request options.", body: "RequestOptionsResponse" }],
    errors: { 404: ["challenge_not_found"], 409: ["no_security_keys"], 429: [LOCKED] },
  },
  "POST /v1/auth/challenges/{challengeId}/webauthn": {
    summary: "Complete a login with a security key",
    description: "`response` is the `AuthenticationResponseJSON` of `navigator.credentials.get()` with the options of this challenge.",
    tag: TAGS.accounts,
    access: "public",
    body: schemas.webauthnChallengeBody,
    success: [{ status: 201, description: "Signed in.", body: "SignedIn" }],
    errors: { 401: ["invalid_assertion"], 404: ["challenge_not_found"], 429: [LOCKED] },
  },
  "POST /v1/auth/logout": {
    summary: "Log out",
    description: "Revokes the session of the bearer token.",
    tag: TAGS.accounts,
    access: "setup",
    success: [{ status: 204, description: "The session is revoked." }],
  },
  "POST /v1/me/reauthenticate": {
    summary: "Reauthenticate with a code (sudo mode)",
    description: "A TOTP or recovery code makes this session recently authenticated for `REAUTH_WINDOW_SECONDS`; counted and locked like a login challenge.",
    tag: TAGS.me,
    access: "full",
    body: schemas.secondFactorCodeBody,
    success: [{ status: 200, description: "Until when the session counts as recently authenticated.", body: "Reauthenticated" }],
    errors: { 401: ["invalid_code"], 409: ["two_factor_not_enabled"], 429: [LOCKED] },
  },
  "POST /v1/me/reauthenticate/webauthn/options": {
    summary: "Security-key options to reauthenticate",
    description: "Request options for the user's keys, bound to this session.",
    tag: TAGS.me,
    access: "full",
    success: [{ status: 200, description: "The request options.", body: "RequestOptionsResponse" }],
    errors: { 409: ["two_factor_not_enabled", "no_security_keys"], 429: [LOCKED] },
  },
  "POST /v1/me/reauthenticate/webauthn": {
    summary: "Reauthenticate with a security key (sudo mode)",
    description: "`response` is the `AuthenticationResponseJSON` for the options of `POST /v1/me/reauthenticate/webauthn/options`.",
    tag: TAGS.me,
    access: "full",
    body: schemas.reauthenticateWebAuthnBody,
    success: [{ status: 200, description: "Until when the session counts as recently authenticated.", body: "Reauthenticated" }],
    errors: { 401: ["invalid_assertion"], 409: ["two_factor_not_enabled"], 429: [LOCKED] },
  },
  "GET /v1/me": {
    summary: "The signed-in user",
    description: "With the 2FA state and the security score.",
    tag: TAGS.me,
    access: "setup",
    success: [{ status: 200, description: "The user.", body: "UserResponse" }],
  },
  "POST /v1/me/totp": {
    summary: "Start (or restart) authenticator-app enrollment",
    description: "A new secret each call; the app is active only once `POST /v1/me/totp/activate` proves it is set up.",
    tag: TAGS.me,
    access: "setup",
    success: [{ status: 201, description: "The secret, as text, URI and QR code. Shown only here.", body: "TotpEnrollment" }],
    errors: { 403: ["reauthentication_required"], 409: ["totp_already_enabled"] },
  },
  "POST /v1/me/totp/activate": {
    summary: "Activate the authenticator app",
    description: "A current code proves the app is set up (and uses its step up). Turns 2FA on when it is the first factor.",
    tag: TAGS.me,
    access: "setup",
    body: schemas.activateTotpBody,
    success: [{ status: 200, description: "A fresh set of recovery codes, shown this once.", body: "RecoveryCodes" }],
    errors: { 401: ["invalid_code"], 409: ["totp_already_enabled", "totp_enrollment_not_started"], 429: [LOCKED] },
  },
  "DELETE /v1/me/totp": {
    summary: "Remove the authenticator app",
    description: "Needs a current code or an unused recovery code. Removing the last factor turns 2FA off and voids the recovery codes.",
    tag: TAGS.me,
    access: "full",
    body: schemas.secondFactorCodeBody,
    success: [{ status: 204, description: "The app is removed." }],
    errors: { 401: ["invalid_code"], 409: ["totp_not_enabled", "conflict"], 429: [LOCKED] },
  },
  "POST /v1/me/security-keys/options": {
    summary: "Security-key registration options",
    description: "Options for `navigator.credentials.create()`; the user's keys are excluded. The challenge lives 5 minutes.",
    tag: TAGS.keys,
    access: "setup",
    success: [{ status: 200, description: "The creation options.", body: "CreationOptionsResponse" }],
    errors: { 403: ["reauthentication_required"], 409: ["too_many_security_keys"] },
  },
  "POST /v1/me/security-keys": {
    summary: "Register a security key",
    description: "`response` is the `RegistrationResponseJSON` of `navigator.credentials.create()`. A first factor turns 2FA on and comes with recovery codes.",
    tag: TAGS.keys,
    access: "setup",
    body: schemas.registerSecurityKeyBody,
    success: [{ status: 201, description: "The key (and, for a first factor, recovery codes).", body: "SecurityKeyRegistered" }],
    errors: { 400: ["invalid_registration"], 403: ["reauthentication_required"], 409: ["too_many_security_keys", "credential_already_registered", "conflict"] },
  },
  "GET /v1/me/security-keys": {
    summary: "List security keys",
    tag: TAGS.keys,
    access: "setup",
    success: [{ status: 200, description: "Every key of the user.", body: "SecurityKeyList" }],
  },
  "PATCH /v1/me/security-keys/{keyId}": {
    summary: "Rename a security key",
    tag: TAGS.keys,
    access: "setup",
    body: schemas.renameSecurityKeyBody,
    success: [{ status: 200, description: "The renamed key.", body: "SecurityKeyResponse" }],
    errors: { 404: ["security_key_not_found"] },
  },
  "DELETE /v1/me/security-keys/{keyId}": {
    summary: "Remove a security key",
    description: "Removing the last factor turns 2FA off and voids the recovery codes. Needs a recent authentication.",
    tag: TAGS.keys,
    access: "full",
    success: [{ status: 204, description: "The key is removed." }],
    errors: { 403: ["reauthentication_required"], 404: ["security_key_not_found"], 409: ["conflict"] },
  },
  "POST /v1/me/recovery-codes": {
    summary: "Regenerate recovery codes",
    description: "Needs a current code or an unused recovery code, or none while the session is recently authenticated; the old set stops working. Of concurrent regenerations one answers 200, the others 409 `conflict` (or 401 when their code belonged to the replaced set).",
    tag: TAGS.me,
    access: "full",
    body: schemas.regenerateRecoveryCodesBody,
    success: [{ status: 200, description: "The new set, shown this once.", body: "RecoveryCodes" }],
    errors: { 401: ["invalid_code"], 403: ["reauthentication_required"], 409: ["two_factor_not_enabled", "conflict"], 429: [LOCKED] },
  },
  "GET /v1/me/security-events": {
    summary: "The user's security log",
    description: "Logins, factor changes and devices, newest first.",
    tag: TAGS.me,
    access: "full",
    query: schemas.pageQuery,
    success: [{ status: 200, description: "One page of events.", body: "SecurityEventPage" }],
    errors: { 400: ["invalid_cursor"] },
  },
  "POST /v1/teams": {
    summary: "Create a team",
    description: "The caller becomes its owner.",
    tag: TAGS.teams, access: "full", body: schemas.createTeamBody,
    success: [{ status: 201, description: "The team.", body: teamSchema }],
  },
  "GET /v1/teams/{teamId}": {
    summary: "A team", description: "Members only; another team answers 404.",
    tag: TAGS.teams, access: "full",
    success: [{ status: 200, description: "The team and the caller's role.", body: teamSchema }],
    errors: { 404: TEAM_404 },
  },
  "POST /v1/teams/{teamId}/members": {
    summary: "Add a member",
    description: "Admins add members and auditors, only owners add admins and owners. A member added while the team enforces 2FA is flagged at once.",
    tag: TAGS.teams, access: "full", body: schemas.addMemberBody,
    success: [{ status: 201, description: "The member.", body: memberSchema }],
    errors: { 403: ["forbidden"], 404: [...TEAM_404, "user_not_found"], 409: ["already_member"] },
  },
  "GET /v1/teams/{teamId}/members": {
    summary: "List members", description: "Owners and admins.",
    tag: TAGS.teams, access: "full", query: schemas.pageQuery,
    success: [{ status: 200, description: "One page of members.", body: memberPageSchema }],
    errors: { 400: ["invalid_cursor"], 403: ["forbidden"], 404: TEAM_404 },
  },
  "DELETE /v1/teams/{teamId}/members/{userId}": {
    summary: "Remove a member",
    description: "Admins remove members and auditors, only owners remove admins and owners; the last owner stays. The member's hold is released.",
    tag: TAGS.teams, access: "full",
    success: [{ status: 204, description: "The member is removed." }],
    errors: { 403: ["forbidden"], 404: [...TEAM_404, "member_not_found"], 409: ["last_owner"] },
  },
  "PUT /v1/teams/{teamId}/enforcement": {
    summary: "Turn 2FA enforcement on or off",
    description: "Answers at once; the fan-out flags (or releases) the members in the background. The caller must have 2FA on.",
    tag: TAGS.teams, access: "full", body: schemas.enforcementBody,
    success: [{ status: 202, description: "The enforcement and its pending rollout.", body: enforcementSchema }],
    errors: { 403: ["forbidden"], 404: TEAM_404, 409: ["admin_needs_two_factor", "conflict"] },
  },
  "GET /v1/teams/{teamId}/enforcement": {
    summary: "Enforcement and its rollout", description: "Owners, admins and auditors.",
    tag: TAGS.teams, access: "full",
    success: [{ status: 200, description: "The enforcement.", body: enforcementSchema }],
    errors: { 403: ["forbidden"], 404: TEAM_404 },
  },
  "POST /v1/teams/{teamId}/members/{userId}/two-factor-reset": {
    summary: "Reset a member's 2FA",
    description: "Removes the member's factors and recovery codes and ends their sessions. Admins reset members and auditors, only owners reset admins and owners; nobody resets themselves.",
    tag: TAGS.teams, access: "full",
    success: [{ status: 204, description: "The member must set up again at next login." }],
    errors: { 403: ["forbidden"], 404: [...TEAM_404, "member_not_found"], 409: ["conflict"] },
  },
  "GET /v1/teams/{teamId}/audit-events": {
    summary: "The team's audit log",
    description: "Owners, admins and auditors; newest first. With `Accept: text/csv` the same page as CSV, the next page in a `Link` header.",
    tag: TAGS.teams, access: "full", query: schemas.teamAuditQuery,
    success: [{ status: 200, description: "One page of events.", body: "SecurityEventPage" }],
    errors: { 400: ["invalid_cursor"], 403: ["forbidden"], 404: TEAM_404 },
  },
};

const PATH_PARAMETERS: Record<string, string> = {
  challengeId: "The `challenge.id` of a `two_factor_required` login answer.",
  keyId: "A security key's `id`.",
  teamId: "A team's `id`.",
  userId: "A member's `userId`.",
};

export function openApiDocument(routes: readonly DocumentedRoute[]) {
  const components: Record<string, Schema> = { ...responseSchemas };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = routeDocs[`${route.method} ${route.path}`];
    const operation = doc ? documented(route, doc, components) : undocumented(route);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = { operationId: operationId(route), ...operation };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "TwoFactor API",
      version: "1.0.0",
      description: [
        "Two-factor authentication: authenticator apps (TOTP), security keys (WebAuthn) and recovery codes.",
        "JSON in and out; bodies over 16 KiB answer 413, and unknown fields in a body are refused (400).",
        "Errors are RFC 9457 problem documents (`application/problem+json`) with a stable snake_case `code`.",
        "Authenticated calls carry `Authorization: Bearer <session token>`. Timestamps are ISO-8601 UTC, ids opaque.",
        "5 failed second-factor checks in a row lock the account's second factor for 15 minutes (429 with `Retry-After`).",
      ].join("\n"),
    },
    servers: [{ url: "http://localhost:3000", description: "`npm start` (PORT defaults to 3000)" }],
    tags: Object.values(TAGS).map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "The `session.token` of a login." },
      },
    },
  };
}

function documented(route: DocumentedRoute, doc: RouteDoc, components: Record<string, Schema>) {
  const parameters = [...pathParameters(route.path), ...(doc.query ? queryParameters(doc.query) : []), ...(doc.parameters ?? [])];
  const responses: Record<string, unknown> = {};
  for (const success of doc.success) {
    const body = typeof success.body === "string" ? ref(success.body) : success.body;
    responses[success.status] = { description: success.description, ...(body ? { content: { "application/json": { schema: body } } } : {}) };
  }
  for (const [status, codes] of Object.entries(errorCodes(doc))) {
    responses[status] = problemResponse(Number(status), codes);
  }
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(doc.access === "public" ? {} : { security: [{ bearerAuth: [] }] }),
    ...(doc.access === "setup" ? { "x-session-scope": ["full", "setup"] } : doc.access === "full" ? { "x-session-scope": ["full"] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body ? { requestBody: requestBody(doc.body, components) } : {}),
    responses,
  };
}

/** A route added to routes.ts without an entry in `routeDocs`: listed, with what every route may answer. */
function undocumented(route: DocumentedRoute) {
  const parameters = pathParameters(route.path);
  return {
    summary: `${route.method} ${route.path}`,
    description: "Not documented yet.",
    security: [{ bearerAuth: [] }, {}],
    ...(parameters.length ? { parameters } : {}),
    responses: {
      default: {
        description: "A JSON answer, or a problem document.",
        content: { "application/json": { schema: {} }, "application/problem+json": { schema: ref("Problem") } },
      },
    },
  };
}

/**
 * Every route parses a body (a route without a body schema takes none, or `{}`), so every route can
 * refuse one; authenticated routes refuse a missing session, full-scope routes a setup-scoped one.
 */
function errorCodes(doc: RouteDoc): Record<number, string[]> {
  const codes: Record<number, string[]> = {
    400: ["malformed_json", "validation_failed"],
    413: ["payload_too_large"],
    415: ["unsupported_media_type"],
    503: ["service_unavailable"],
  };
  if (doc.access !== "public") codes[401] = ["unauthenticated"];
  if (doc.access === "full") codes[403] = ["two_factor_setup_required"];
  for (const [status, extra] of Object.entries(doc.errors ?? {})) {
    codes[Number(status)] = [...(codes[Number(status)] ?? []), ...(extra ?? [])];
  }
  return Object.fromEntries(Object.entries(codes).sort(([a], [b]) => Number(a) - Number(b)).map(([status, list]) => [status, [...new Set(list)].sort()]));
}

function problemResponse(status: number, codes: string[]) {
  const described = status === 413 ? `The body is larger than ${MAX_BODY_BYTES} bytes.` : `${STATUS_CODES[status] ?? "Error"}: ${codes.map((c) => `\`${c}\``).join(", ")}.`;
  return {
    description: described,
    ...(status === 429 ? {
      headers: { "Retry-After": { description: "Seconds until the lock ends.", required: true, schema: { type: "integer", minimum: 1 } } },
    } : {}),
    content: {
      "application/problem+json": {
        schema: { allOf: [ref("Problem"), { properties: { status: { const: status }, code: { enum: codes } } }] },
      },
    },
  };
}

function requestBody(schema: z.ZodType, components: Record<string, Schema>) {
  const name = schemaName(schema);
  components[name] = jsonSchema(schema);
  return { required: true, content: { "application/json": { schema: ref(name) } } };
}

/** The component name of a request schema: its export name in schemas.ts (`signUpBody` → `SignUpBody`). */
function schemaName(schema: z.ZodType): string {
  const exported = Object.entries(schemas).find(([, candidate]) => candidate === schema)?.[0];
  if (!exported) throw new Error("Document only the request schemas exported by schemas.ts.");
  return exported[0]!.toUpperCase() + exported.slice(1);
}

/** What a client may send: the schema's input side, without the `$schema` key (the dialect is the document's). */
function jsonSchema(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Schema;
  return rest;
}

function pathParameters(path: string): Schema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
    ...(PATH_PARAMETERS[name!] ? { description: PATH_PARAMETERS[name!] } : {}),
  }));
}

function queryParameters(query: z.ZodObject): Schema[] {
  const schema = jsonSchema(query) as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

/** `functions/http/sign-up.handler` → `signUp`; from the method and path when there is no handler. */
function operationId(route: DocumentedRoute): string {
  const base = route.handler ? route.handler.replace(/^.*\//, "").replace(/\.[^.]*$/, "") : `${route.method} ${route.path}`;
  return base.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("");
}
