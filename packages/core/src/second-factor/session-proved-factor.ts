import type { Deps } from "../deps.js";
import type { Session } from "../ports.js";
import { endUnprovenSessions } from "../sessions/sessions.js";

/**
 * This session just proved a factor it is enrolling (the code matched, the key's registration
 * verified): it is recently authenticated, and when the factor turns 2FA on, the sessions opened by
 * a password alone end. Done before the factor is stored, so that a crash can never leave 2FA on
 * with those sessions still valid; if the store write then loses (a concurrent change), the worst
 * left behind is a signed-out second device. A setup-scoped session that proves a factor becomes a
 * full one (the store's markSecondFactor sets the scope): the setup it was held to is done.
 */
export async function sessionProvedFactor(deps: Pick<Deps, "sessions" | "clock">, session: Session, turnsOn: boolean, at: Date): Promise<void> {
  await deps.sessions.markSecondFactor(session, at);
  if (turnsOn) await endUnprovenSessions(deps, session.userId, at);
}
