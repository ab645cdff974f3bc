import type { Deps } from "../deps.js";
import { AdminNeedsTwoFactorError } from "../errors.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import { requireRecentAuthentication } from "../sessions/recent-authentication.js";

/**
 * What a team-wide or a member-affecting action asks of its caller, after the role check: 2FA on
 * (whoever requires it of others has it), then a second factor proved recently in this session, as
 * for changing one's own factors — so that a stolen session alone cannot strip, hold or remove anyone.
 */
export function requirePrivilege(deps: Pick<Deps, "policy" | "clock">, session: AuthenticatedSession): void {
  if (!session.security.hasFactor) throw new AdminNeedsTwoFactorError();
  requireRecentAuthentication(deps, session, { hasFactor: true });
}
