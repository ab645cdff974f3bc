import type { RouteEntry } from "@twofactor/functions/http/routes";
import type { WafLimits } from "./stages.js";

/**
 * The paths that check a credential or create an account: password and second-factor checks,
 * sign-up (argon2 and a new account per call), reauthentication. WAF limits each client IP on each
 * (infra/waf.ts), and the API stage throttles their routes tighter than the rest (infra/api-stage.ts).
 */
export const CREDENTIAL_PATHS = [
  { limit: "auth", path: "/v1/auth/", match: "STARTS_WITH" },
  { limit: "signUp", path: "/v1/users", match: "EXACTLY" },
  { limit: "reauthenticate", path: "/v1/me/reauthenticate", match: "STARTS_WITH" },
] as const satisfies readonly { limit: keyof WafLimits; path: string; match: "STARTS_WITH" | "EXACTLY" }[];

export function isCredentialRoute(route: Pick<RouteEntry, "method" | "path">): boolean {
  return CREDENTIAL_PATHS.some(({ path, match }) => (match === "EXACTLY" ? route.path === path : route.path.startsWith(path)));
}
