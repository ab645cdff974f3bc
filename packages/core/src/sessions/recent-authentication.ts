import type { Deps } from "../deps.js";
import { ReauthenticationRequiredError } from "../errors.js";
import type { SecurityState, Session } from "../ports.js";
import { addSeconds } from "../common/time.js";

/** Until when the session counts as recently authenticated; undefined when it never proved a factor. */
export function recentUntil(deps: Pick<Deps, "policy">, session: Session): Date | undefined {
  return session.secondFactorAt ? addSeconds(new Date(session.secondFactorAt), deps.policy.reauthWindowSeconds) : undefined;
}

/**
 * Sudo mode: while 2FA is on, changing factors needs a session that proved a second factor within
 * the window, so that a stolen session token alone cannot add the thief's factor or remove the
 * victim's. With 2FA off there is nothing to prove yet.
 */
export function requireRecentAuthentication(deps: Pick<Deps, "policy" | "clock">, session: Session, state: Pick<SecurityState, "hasFactor">): void {
  if (!state.hasFactor) return;
  const until = recentUntil(deps, session);
  if (!until || until < deps.clock.now()) throw new ReauthenticationRequiredError();
}
