import type { RouteContract } from "@twofactor/http";
import * as responses from "@twofactor/http/responses";
import * as schemas from "@twofactor/http/schemas";

/**
 * Every HTTP route, and its contract: plain data. The local server dispatches by it, the
 * infrastructure makes one API route and one Lambda function per entry, each handler takes its
 * access, body and query schemas from its entry, and the OpenAPI document is generated from the
 * entries (summary, the answers by status with their zod schemas, the error codes). `handler` is the
 * module (from the repository root) and its export, as SST names it.
 *
 * One constant per route, named after its handler's file (`sign-up.ts` → `signUp`), and `routes`
 * listing them: a handler imports its own entry only, so esbuild keeps in its bundle (and its cold
 * start builds) only the schemas of that route, not those of all 35 (schemas.ts and responses.ts
 * mark their schemas as droppable). So entries hold only literals and references: a spread or a
 * call in one would keep it in every bundle (tests/infra/bundles.test.ts checks the login bundle).
 */
export type RouteEntry = RouteContract;

const ACCOUNTS = "Accounts and sessions";
const ME = "The signed-in user";
const KEYS = "Security keys";
const LOCKED = "too_many_attempts";
const REAUTH = "reauthentication_required";
const TEAMS = "Teams";
const TEAM_NOT_FOUND = "team_not_found";
const TEAM_404 = [TEAM_NOT_FOUND];
const TOO_MANY_TEAMS = "too_many_teams";
const signedIn = { description: "Signed in.", body: responses.signedIn };

export const health = {
  method: "GET", path: "/v1/health", handler: "functions/http/health.handler", tag: "Health", access: "public",
  summary: "Health check", description: "No authentication; the local server is up when this answers.",
  responses: { 200: { description: "The service is up.", body: responses.health } },
} as const satisfies RouteEntry;

export const openapi = {
  method: "GET", path: "/v1/openapi.json", handler: "functions/http/openapi.handler", tag: "Documentation", access: "public",
  summary: "This OpenAPI document", description: "Generated from routes.ts and the zod schemas of the requests and answers.",
  responses: { 200: { description: "The OpenAPI 3.1 document.", body: responses.openApiDocument } },
} as const satisfies RouteEntry;

export const signUp = {
  method: "POST", path: "/v1/users", handler: "functions/http/sign-up.handler", tag: ACCOUNTS, access: "public", body: schemas.signUpBody,
  summary: "Sign up",
  description: "Creates an account with 2FA off. The email is normalised to lower case; the password needs at least 12 characters.",
  responses: { 201: { description: "The new user.", body: responses.userResponse } },
  errors: { 409: ["email_taken"] },
} as const satisfies RouteEntry;

export const login = {
  method: "POST", path: "/v1/auth/login", handler: "functions/http/login.handler", tag: ACCOUNTS, access: "public", body: schemas.loginBody,
  summary: "Log in with email and password",
  description: "The first factor. A wrong email and a wrong password get the same 401 `invalid_credentials`, in similar time. " +
    "10 wrong passwords in a row lock that account's password checks for 15 minutes (429 with `Retry-After`); " +
    "a locked second factor does not stop this step, which still answers `two_factor_required`.",
  responses: {
    200: { description: "A second factor is needed: complete the challenge with one of `challenge.methods`.", body: responses.loginTwoFactorRequired },
    201: {
      description: "Signed in (`authenticated`: no second factor is needed, or a trusted device is unchanged), or signed in to set up the 2FA a team enforces (`setup_required`: a setup-scoped session).",
      body: responses.loginSignedIn,
    },
  },
  errors: { 401: ["invalid_credentials"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const challengeTotp = {
  method: "POST", path: "/v1/auth/challenges/{challengeId}/totp", handler: "functions/http/challenge-totp.handler", tag: ACCOUNTS, access: "public", params: schemas.challengePath,
  body: schemas.totpChallengeBody, summary: "Complete a login with an authenticator-app code",
  description: "Codes of the previous, current and next 30 s step are accepted, each step once. A failure leaves the challenge for another try; the first success uses it up.",
  responses: { 201: signedIn },
  errors: { 401: ["invalid_code"], 404: ["challenge_not_found"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const challengeRecoveryCode = {
  method: "POST", path: "/v1/auth/challenges/{challengeId}/recovery-code", handler: "functions/http/challenge-recovery-code.handler", tag: ACCOUNTS, access: "public", params: schemas.challengePath,
  body: schemas.recoveryCodeChallengeBody, summary: "Complete a login with a recovery code",
  description: "Each recovery code works once. Case, blanks and the hyphen do not matter.",
  responses: { 201: signedIn },
  errors: { 401: ["invalid_code"], 404: ["challenge_not_found"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const challengeWebauthnOptions = {
  method: "POST", path: "/v1/auth/challenges/{challengeId}/webauthn/options", handler: "functions/http/challenge-webauthn-options.handler", tag: ACCOUNTS, access: "public", params: schemas.challengePath,
  summary: "Security-key options for a login challenge", description: "Options for `navigator.credentials.get()` that allow the user's keys only.",
  responses: { 200: { description: "The request options.", body: responses.requestOptionsResponse } },
  errors: { 404: ["challenge_not_found"], 409: ["no_security_keys"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const challengeWebauthn = {
  method: "POST", path: "/v1/auth/challenges/{challengeId}/webauthn", handler: "functions/http/challenge-webauthn.handler", tag: ACCOUNTS, access: "public", params: schemas.challengePath,
  body: schemas.webauthnChallengeBody, summary: "Complete a login with a security key",
  description: "`response` is the `AuthenticationResponseJSON` of `navigator.credentials.get()` with the options of this challenge.",
  responses: { 201: signedIn },
  errors: { 401: ["invalid_assertion"], 404: ["challenge_not_found"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const logout = {
  method: "POST", path: "/v1/auth/logout", handler: "functions/http/logout.handler", tag: ACCOUNTS, access: "setup",
  summary: "Log out", description: "Revokes the session of the bearer token.",
  responses: { 204: { description: "The session is revoked." } },
} as const satisfies RouteEntry;

export const reauthenticate = {
  method: "POST", path: "/v1/me/reauthenticate", handler: "functions/http/reauthenticate.handler", tag: ME, access: "full", body: schemas.secondFactorCodeBody,
  summary: "Reauthenticate with a code (sudo mode)",
  description: "A TOTP or recovery code makes this session recently authenticated for `REAUTH_WINDOW_SECONDS`; counted and locked like a login challenge.",
  responses: { 200: { description: "Until when the session counts as recently authenticated.", body: responses.reauthenticated } },
  errors: { 401: ["invalid_code"], 409: ["two_factor_not_enabled"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const reauthenticateWebauthnOptions = {
  method: "POST", path: "/v1/me/reauthenticate/webauthn/options", handler: "functions/http/reauthenticate-webauthn-options.handler", tag: ME, access: "full",
  summary: "Security-key options to reauthenticate", description: "Request options for the user's keys, bound to this session.",
  responses: { 200: { description: "The request options.", body: responses.requestOptionsResponse } },
  errors: { 409: ["two_factor_not_enabled", "no_security_keys"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const reauthenticateWebauthn = {
  method: "POST", path: "/v1/me/reauthenticate/webauthn", handler: "functions/http/reauthenticate-webauthn.handler", tag: ME, access: "full",
  body: schemas.reauthenticateWebAuthnBody, summary: "Reauthenticate with a security key (sudo mode)",
  description: "`response` is the `AuthenticationResponseJSON` for the options of `POST /v1/me/reauthenticate/webauthn/options`.",
  responses: { 200: { description: "Until when the session counts as recently authenticated.", body: responses.reauthenticated } },
  errors: { 401: ["invalid_assertion"], 409: ["two_factor_not_enabled"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const getMe = {
  method: "GET", path: "/v1/me", handler: "functions/http/get-me.handler", tag: ME, access: "setup", preload: "account",
  summary: "The signed-in user", description: "With the 2FA state and the security score.",
  responses: { 200: { description: "The user.", body: responses.userResponse } },
} as const satisfies RouteEntry;

export const startTotpEnrollment = {
  method: "POST", path: "/v1/me/totp", handler: "functions/http/start-totp-enrollment.handler", tag: ME, access: "setup",
  summary: "Start (or restart) authenticator-app enrollment",
  description: "A new secret each call; the app is active only once `POST /v1/me/totp/activate` proves it is set up.",
  responses: { 201: { description: "The secret, as text, URI and QR code. Shown only here.", body: responses.totpEnrollment } },
  errors: { 403: [REAUTH], 409: ["totp_already_enabled"] },
} as const satisfies RouteEntry;

export const activateTotp = {
  method: "POST", path: "/v1/me/totp/activate", handler: "functions/http/activate-totp.handler", tag: ME, access: "setup", body: schemas.activateTotpBody,
  summary: "Activate the authenticator app",
  description: "A current code proves the app is set up (and uses its step up). Turns 2FA on when it is the first factor.",
  responses: { 200: { description: "A fresh set of recovery codes, shown this once.", body: responses.recoveryCodes } },
  errors: { 401: ["invalid_code"], 409: ["totp_already_enabled", "totp_enrollment_not_started", "conflict"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const disableTotp = {
  method: "DELETE", path: "/v1/me/totp", handler: "functions/http/disable-totp.handler", tag: ME, access: "full", body: schemas.secondFactorCodeBody,
  summary: "Remove the authenticator app",
  description: "Needs a current code or an unused recovery code. Removing the last factor turns 2FA off and voids the recovery codes.",
  responses: { 204: { description: "The app is removed." } },
  errors: { 401: ["invalid_code"], 409: ["totp_not_enabled", "enforced_by_team", "conflict"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const startSecurityKeyRegistration = {
  method: "POST", path: "/v1/me/security-keys/options", handler: "functions/http/start-security-key-registration.handler", tag: KEYS, access: "setup",
  summary: "Security-key registration options",
  description: "Options for `navigator.credentials.create()`; the user's keys are excluded. The challenge lives 5 minutes.",
  responses: { 200: { description: "The creation options.", body: responses.creationOptionsResponse } },
  errors: { 403: [REAUTH], 409: ["too_many_security_keys"] },
} as const satisfies RouteEntry;

export const registerSecurityKey = {
  method: "POST", path: "/v1/me/security-keys", handler: "functions/http/register-security-key.handler", tag: KEYS, access: "setup", body: schemas.registerSecurityKeyBody,
  summary: "Register a security key",
  description: "`response` is the `RegistrationResponseJSON` of `navigator.credentials.create()`. A first factor turns 2FA on and comes with recovery codes.",
  responses: { 201: { description: "The key (and, for a first factor, recovery codes).", body: responses.securityKeyRegistered } },
  errors: { 400: ["invalid_registration"], 403: [REAUTH], 409: ["too_many_security_keys", "credential_already_registered", "conflict"] },
} as const satisfies RouteEntry;

export const listSecurityKeys = {
  method: "GET", path: "/v1/me/security-keys", handler: "functions/http/list-security-keys.handler", tag: KEYS, access: "full",
  summary: "List security keys",
  responses: { 200: { description: "Every key of the user.", body: responses.securityKeyList } },
} as const satisfies RouteEntry;

export const renameSecurityKey = {
  method: "PATCH", path: "/v1/me/security-keys/{keyId}", handler: "functions/http/rename-security-key.handler", tag: KEYS, access: "full", params: schemas.securityKeyPath, body: schemas.renameSecurityKeyBody,
  summary: "Rename a security key",
  responses: { 200: { description: "The renamed key.", body: responses.securityKeyResponse } },
  errors: { 404: ["security_key_not_found"] },
} as const satisfies RouteEntry;

export const removeSecurityKey = {
  method: "DELETE", path: "/v1/me/security-keys/{keyId}", handler: "functions/http/remove-security-key.handler", tag: KEYS, access: "full", params: schemas.securityKeyPath,
  summary: "Remove a security key",
  description: "Removing the last factor turns 2FA off and voids the recovery codes. Needs a recent authentication while 2FA is on.",
  responses: { 204: { description: "The key is removed." } },
  errors: { 403: [REAUTH], 404: ["security_key_not_found"], 409: ["enforced_by_team", "conflict"] },
} as const satisfies RouteEntry;

export const regenerateRecoveryCodes = {
  method: "POST", path: "/v1/me/recovery-codes", handler: "functions/http/regenerate-recovery-codes.handler", tag: ME, access: "full", body: schemas.regenerateRecoveryCodesBody,
  summary: "Regenerate recovery codes",
  description: "Needs a current code or an unused recovery code, or no body while the session is recently authenticated; the old set stops working. " +
    "Of concurrent regenerations one answers 200, the others 409 `conflict` (or 401 when their code belonged to the replaced set).",
  responses: { 200: { description: "The new set, shown this once.", body: responses.recoveryCodes } },
  errors: { 401: ["invalid_code"], 403: [REAUTH], 409: ["two_factor_not_enabled", "conflict"], 429: [LOCKED] },
} as const satisfies RouteEntry;

export const listDevices = {
  method: "GET", path: "/v1/me/devices", handler: "functions/http/list-devices.handler", tag: ME, access: "full", query: schemas.pageQuery,
  summary: "List trusted devices", description: "Browsers remembered with `rememberDevice`, each bound to its network and browser; never a token.",
  responses: { 200: { description: "One page of live devices, oldest first.", body: responses.trustedDevicePage } },
  errors: { 400: ["invalid_cursor"] },
} as const satisfies RouteEntry;

export const forgetDevice = {
  method: "DELETE", path: "/v1/me/devices/{deviceId}", handler: "functions/http/forget-device.handler", tag: ME, access: "full", params: schemas.devicePath,
  summary: "Forget a trusted device", description: "Its next sign-in asks for a second factor again.",
  responses: { 204: { description: "The device is forgotten." } },
  errors: { 404: ["device_not_found"] },
} as const satisfies RouteEntry;

export const forgetAllDevices = {
  method: "DELETE", path: "/v1/me/devices", handler: "functions/http/forget-all-devices.handler", tag: ME, access: "full",
  summary: "Forget every trusted device",
  responses: { 204: { description: "Every device is forgotten." } },
} as const satisfies RouteEntry;

export const listSecurityEvents = {
  method: "GET", path: "/v1/me/security-events", handler: "functions/http/list-security-events.handler", tag: ME, access: "full", query: schemas.pageQuery,
  summary: "The user's security log", description: "Logins, factor changes and security keys, newest first.",
  responses: { 200: { description: "One page of events.", body: responses.securityEventPage } },
  errors: { 400: ["invalid_cursor"] },
} as const satisfies RouteEntry;

export const createTeam = {
  method: "POST", path: "/v1/teams", handler: "functions/http/create-team.handler", tag: TEAMS, access: "full", body: schemas.createTeamBody,
  summary: "Create a team", description: "The caller becomes its owner. It counts as one of the at most 100 teams a user belongs to.",
  responses: { 201: { description: "The team.", body: responses.teamResponse } },
  errors: { 409: [TOO_MANY_TEAMS] },
} as const satisfies RouteEntry;

export const getTeam = {
  method: "GET", path: "/v1/teams/{teamId}", handler: "functions/http/get-team.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  summary: "A team", description: "Members only; another team answers 404.",
  responses: { 200: { description: "The team and the caller's role.", body: responses.teamResponse } },
  errors: { 404: TEAM_404 },
} as const satisfies RouteEntry;

export const createInvitation = {
  method: "POST", path: "/v1/teams/{teamId}/invitations", handler: "functions/http/create-invitation.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  body: schemas.invitationBody, summary: "Invite someone to the team",
  description: "Admins invite members and auditors, only owners invite admins and owners (and that is a privileged action). Nobody joins without accepting. The answer is the same whether or not an account has the address. A privileged action: after the role check, the caller must have 2FA on (409 `admin_needs_two_factor`) and a second factor proved recently in this session (403 `reauthentication_required`).",
  responses: { 201: { description: "The invitation, live for `INVITATION_TTL_SECONDS` (7 days).", body: responses.teamInvitationResponse } },
  errors: { 403: ["forbidden", REAUTH], 404: TEAM_404, 409: ["already_member", "already_invited", "too_many_invitations", "admin_needs_two_factor"] },
} as const satisfies RouteEntry;

export const listTeamInvitations = {
  method: "GET", path: "/v1/teams/{teamId}/invitations", handler: "functions/http/list-team-invitations.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  query: schemas.pageQuery, summary: "List the team's open invitations", description: "Owners and admins.",
  responses: { 200: { description: "One page of live invitations.", body: responses.teamInvitationPage } },
  errors: { 400: ["invalid_cursor"], 403: ["forbidden"], 404: TEAM_404 },
} as const satisfies RouteEntry;

export const withdrawInvitation = {
  method: "DELETE", path: "/v1/teams/{teamId}/invitations/{invitationId}", handler: "functions/http/withdraw-invitation.handler", tag: TEAMS, access: "full",
  params: schemas.teamInvitationPath, summary: "Withdraw an invitation", description: "Owners and admins.",
  responses: { 204: { description: "The invitation is withdrawn." } },
  errors: { 403: ["forbidden"], 404: [TEAM_NOT_FOUND, "invitation_not_found"] },
} as const satisfies RouteEntry;

export const listMyInvitations = {
  method: "GET", path: "/v1/me/invitations", handler: "functions/http/list-my-invitations.handler", tag: TEAMS, access: "full", query: schemas.pageQuery,
  summary: "My invitations", description: "The live invitations to the caller's address, whatever its case.",
  responses: { 200: { description: "One page of invitations.", body: responses.myInvitationPage } },
  errors: { 400: ["invalid_cursor"] },
} as const satisfies RouteEntry;

export const acceptInvitation = {
  method: "POST", path: "/v1/me/invitations/{invitationId}/accept", handler: "functions/http/accept-invitation.handler", tag: TEAMS, access: "full",
  params: schemas.invitationPath, summary: "Accept an invitation",
  description: "Joins the team with the invited role. Joining a team that enforces 2FA without a factor holds the caller to setup at once.",
  responses: { 201: { description: "The caller's membership.", body: responses.memberResponse } },
  errors: { 404: ["invitation_not_found"], 409: [TOO_MANY_TEAMS] },
} as const satisfies RouteEntry;

export const declineInvitation = {
  method: "DELETE", path: "/v1/me/invitations/{invitationId}", handler: "functions/http/decline-invitation.handler", tag: TEAMS, access: "full",
  params: schemas.invitationPath, summary: "Decline an invitation",
  responses: { 204: { description: "The invitation is declined." } },
  errors: { 404: ["invitation_not_found"] },
} as const satisfies RouteEntry;

export const listMyTeams = {
  method: "GET", path: "/v1/me/teams", handler: "functions/http/list-my-teams.handler", tag: TEAMS, access: "setup", query: schemas.pageQuery,
  summary: "My teams", description: "The caller's teams with their role, when they joined, and whether the team enforces 2FA. A setup-scoped session may ask.",
  responses: { 200: { description: "One page of teams.", body: responses.myTeamPage } },
  errors: { 400: ["invalid_cursor"] },
} as const satisfies RouteEntry;

export const listTeamMembers = {
  method: "GET", path: "/v1/teams/{teamId}/members", handler: "functions/http/list-team-members.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  query: schemas.pageQuery, summary: "List members", description: "Owners and admins.",
  responses: { 200: { description: "One page of members.", body: responses.memberPage } },
  errors: { 400: ["invalid_cursor"], 403: ["forbidden"], 404: TEAM_404 },
} as const satisfies RouteEntry;

export const removeTeamMember = {
  method: "DELETE", path: "/v1/teams/{teamId}/members/{userId}", handler: "functions/http/remove-team-member.handler", tag: TEAMS, access: "full",
  params: schemas.teamMemberPath, summary: "Remove a member",
  description: "Admins remove members and auditors, only owners remove admins and owners; the last owner stays. The member is released at once, and a reset this team asked for is cancelled. A privileged action: after the role check, the caller must have 2FA on (409 `admin_needs_two_factor`) and a second factor proved recently in this session (403 `reauthentication_required`).",
  responses: { 204: { description: "The member is removed." } },
  errors: { 403: ["forbidden", REAUTH], 404: [TEAM_NOT_FOUND, "member_not_found"], 409: ["last_owner", "admin_needs_two_factor"] },
} as const satisfies RouteEntry;

export const setTeamEnforcement = {
  method: "PUT", path: "/v1/teams/{teamId}/enforcement", handler: "functions/http/set-team-enforcement.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  body: schemas.enforcementBody, summary: "Turn 2FA enforcement on or off",
  description: "Answers at once; the fan-out flags (or releases) the members in the background. A privileged action: after the role check, the caller must have 2FA on (409 `admin_needs_two_factor`) and a second factor proved recently in this session (403 `reauthentication_required`).",
  responses: { 202: { description: "The enforcement and its pending rollout.", body: responses.enforcementResponse } },
  errors: { 403: ["forbidden", REAUTH], 404: TEAM_404, 409: ["admin_needs_two_factor", "conflict"] },
} as const satisfies RouteEntry;

export const getTeamEnforcement = {
  method: "GET", path: "/v1/teams/{teamId}/enforcement", handler: "functions/http/get-team-enforcement.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  summary: "Enforcement and its rollout", description: "Owners, admins and auditors.",
  responses: { 200: { description: "The enforcement.", body: responses.enforcementResponse } },
  errors: { 403: ["forbidden"], 404: TEAM_404 },
} as const satisfies RouteEntry;

export const resetMemberTwoFactor = {
  method: "POST", path: "/v1/teams/{teamId}/members/{userId}/two-factor-reset", handler: "functions/http/reset-member-two-factor.handler", tag: TEAMS, access: "full",
  params: schemas.teamMemberPath, summary: "Reset a member's 2FA (a lost phone)",
  description: "Schedules the reset for `TEAM_RESET_DELAY_SECONDS` (a day) later and tells the member at once; until then they sign in as before and cancel it by proving any second factor. When it takes effect their factors, recovery codes, trusted devices and sessions are gone. Admins reset members and auditors, only owners reset admins and owners; nobody resets themselves. A privileged action: after the role check, the caller must have 2FA on (409 `admin_needs_two_factor`) and a second factor proved recently in this session (403 `reauthentication_required`).",
  responses: { 202: { description: "The reset, pending until `effectiveAt`.", body: responses.resetResponse } },
  errors: { 403: ["forbidden", REAUTH], 404: [TEAM_NOT_FOUND, "member_not_found"], 409: ["reset_pending", "admin_needs_two_factor"] },
} as const satisfies RouteEntry;

export const listTeamAuditEvents = {
  method: "GET", path: "/v1/teams/{teamId}/audit-events", handler: "functions/http/list-team-audit-events.handler", tag: TEAMS, access: "full", params: schemas.teamPath,
  query: schemas.teamAuditQuery, summary: "The team's audit log",
  description: "Owners, admins and auditors; newest first. With `Accept: text/csv` the same page as CSV, the next page in a `Link` header.",
  responses: { 200: { description: "One page of events.", body: responses.securityEventPage, alsoCsv: true } },
  errors: { 400: ["invalid_cursor"], 403: ["forbidden"], 404: TEAM_404 },
} as const satisfies RouteEntry;

/** Every route, in the order the OpenAPI document lists them. */
export const routes = [
  health,
  openapi,
  signUp,
  login,
  challengeTotp,
  challengeRecoveryCode,
  challengeWebauthnOptions,
  challengeWebauthn,
  logout,
  reauthenticate,
  reauthenticateWebauthnOptions,
  reauthenticateWebauthn,
  getMe,
  startTotpEnrollment,
  activateTotp,
  disableTotp,
  startSecurityKeyRegistration,
  registerSecurityKey,
  listSecurityKeys,
  renameSecurityKey,
  removeSecurityKey,
  regenerateRecoveryCodes,
  listDevices,
  forgetDevice,
  forgetAllDevices,
  listSecurityEvents,
  createTeam,
  getTeam,
  createInvitation,
  listTeamInvitations,
  withdrawInvitation,
  listMyInvitations,
  acceptInvitation,
  declineInvitation,
  listMyTeams,
  listTeamMembers,
  removeTeamMember,
  setTeamEnforcement,
  getTeamEnforcement,
  resetMemberTwoFactor,
  listTeamAuditEvents,
] as const satisfies readonly RouteEntry[];

/**
 * API Gateway's `$default` route: a request that matches no route above (an unknown path, or a
 * known path with another method) answers 404 or 405 as problem+json, on AWS as on the local server.
 */
export const fallbackRoute = { handler: "functions/http/not-found.handler" } as const;
