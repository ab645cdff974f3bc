/**
 * Every HTTP route: plain data. The local server dispatches by it and the infrastructure makes one
 * API route and one Lambda function per entry. `handler` is the module (from the repository root)
 * and its export, as SST names it.
 */
export interface RouteEntry {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  handler: string;
}

const h = (file: string) => `functions/http/${file}.handler`;

export const routes: readonly RouteEntry[] = [
  { method: "GET", path: "/v1/health", handler: h("health") },
  { method: "GET", path: "/v1/openapi.json", handler: h("openapi") },
  { method: "POST", path: "/v1/users", handler: h("sign-up") },
  { method: "POST", path: "/v1/auth/login", handler: h("login") },
  { method: "POST", path: "/v1/auth/challenges/{challengeId}/totp", handler: h("challenge-totp") },
  { method: "POST", path: "/v1/auth/challenges/{challengeId}/recovery-code", handler: h("challenge-recovery-code") },
  { method: "POST", path: "/v1/auth/challenges/{challengeId}/webauthn/options", handler: h("challenge-webauthn-options") },
  { method: "POST", path: "/v1/auth/challenges/{challengeId}/webauthn", handler: h("challenge-webauthn") },
  { method: "POST", path: "/v1/auth/logout", handler: h("logout") },
  { method: "POST", path: "/v1/me/reauthenticate", handler: h("reauthenticate") },
  { method: "POST", path: "/v1/me/reauthenticate/webauthn/options", handler: h("reauthenticate-webauthn-options") },
  { method: "POST", path: "/v1/me/reauthenticate/webauthn", handler: h("reauthenticate-webauthn") },
  { method: "GET", path: "/v1/me", handler: h("get-me") },
  { method: "POST", path: "/v1/me/totp", handler: h("start-totp-enrollment") },
  { method: "POST", path: "/v1/me/totp/activate", handler: h("activate-totp") },
  { method: "DELETE", path: "/v1/me/totp", handler: h("disable-totp") },
  { method: "POST", path: "/v1/me/security-keys/options", handler: h("start-security-key-registration") },
  { method: "POST", path: "/v1/me/security-keys", handler: h("register-security-key") },
  { method: "GET", path: "/v1/me/security-keys", handler: h("list-security-keys") },
  { method: "PATCH", path: "/v1/me/security-keys/{keyId}", handler: h("rename-security-key") },
  { method: "DELETE", path: "/v1/me/security-keys/{keyId}", handler: h("remove-security-key") },
  { method: "POST", path: "/v1/me/recovery-codes", handler: h("regenerate-recovery-codes") },
  { method: "GET", path: "/v1/me/security-events", handler: h("list-security-events") },
  { method: "POST", path: "/v1/teams", handler: h("create-team") },
  { method: "GET", path: "/v1/teams/{teamId}", handler: h("get-team") },
  { method: "POST", path: "/v1/teams/{teamId}/members", handler: h("add-team-member") },
  { method: "GET", path: "/v1/teams/{teamId}/members", handler: h("list-team-members") },
  { method: "DELETE", path: "/v1/teams/{teamId}/members/{userId}", handler: h("remove-team-member") },
  { method: "PUT", path: "/v1/teams/{teamId}/enforcement", handler: h("set-team-enforcement") },
  { method: "GET", path: "/v1/teams/{teamId}/enforcement", handler: h("get-team-enforcement") },
  { method: "POST", path: "/v1/teams/{teamId}/members/{userId}/two-factor-reset", handler: h("reset-member-two-factor") },
  { method: "GET", path: "/v1/teams/{teamId}/audit-events", handler: h("list-team-audit-events") },
];
