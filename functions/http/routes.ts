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
  { method: "GET", path: "/v1/me/devices", handler: h("list-devices") },
  { method: "DELETE", path: "/v1/me/devices/{deviceId}", handler: h("forget-device") },
  { method: "DELETE", path: "/v1/me/devices", handler: h("forget-all-devices") },
  { method: "GET", path: "/v1/me/security-events", handler: h("list-security-events") },
];

/**
 * API Gateway's `$default` route: a request that matches no route above (an unknown path, or a
 * known path with another method) answers 404 or 405 as problem+json, on AWS as on the local server.
 */
export const fallbackRoute = { handler: h("not-found") } as const;
