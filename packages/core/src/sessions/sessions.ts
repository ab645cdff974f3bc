import type { DomainEvent } from "@twofactor/events";
import type { Deps, RequestContext } from "../deps.js";
import { UnauthenticatedError } from "../errors.js";
import type { Session, SessionScope } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { addSeconds } from "../shared/time.js";
import { newToken, sha256 } from "../shared/tokens.js";

export interface IssuedSession {
  token: string;
  expiresAt: string;
  scope: SessionScope;
}

type LoginMethod = "password" | "totp" | "webauthn" | "recovery_code" | "trusted_device";

/**
 * A session token is `<userId>.<256 random bits>`: the user id lets the store keep sessions in
 * their user's partition (so all of them can be ended), the random part is the secret. Only the
 * SHA-256 of the whole token is stored.
 */
function parseToken(token: string): { userId: string; tokenHash: string } | undefined {
  const match = /^(usr_[A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? { userId: match[1]!, tokenHash: sha256(token) } : undefined;
}

/**
 * Issues a session and owes LoginSucceeded in the same write. A session opened by a second factor
 * is recent at first (`secondFactorAt`); one opened by a password or a trusted device is not.
 */
export async function issueSession(
  deps: Pick<Deps, "sessions" | "clock" | "policy">,
  userId: string,
  method: LoginMethod,
  context: RequestContext,
  scope: SessionScope = "full",
  deviceId?: string,
): Promise<IssuedSession> {
  const now = deps.clock.now();
  const token = `${userId}.${newToken()}`;
  const provedSecondFactor = method === "totp" || method === "webauthn" || method === "recovery_code";
  const session: Session = {
    tokenHash: sha256(token),
    userId,
    scope,
    createdAt: now.toISOString(),
    expiresAt: addSeconds(now, deps.policy.sessionTtlSeconds).toISOString(),
    ...(provedSecondFactor ? { secondFactorAt: now.toISOString() } : {}),
  };
  const owed: DomainEvent[] = [newEvent("LoginSucceeded", { userId, method, scope, ...(deviceId ? { deviceId } : {}) }, { ...context, now })];
  await deps.sessions.create(session, owed);
  return { token, expiresAt: session.expiresAt, scope };
}

/** Resolves a bearer token to its live session, or refuses. */
export async function authenticate(deps: Pick<Deps, "sessions" | "clock">, token: string | undefined): Promise<Session> {
  const parsed = token ? parseToken(token) : undefined;
  const session = parsed && (await deps.sessions.find(parsed.userId, parsed.tokenHash, deps.clock.now()));
  if (!session) throw new UnauthenticatedError();
  return session;
}

export async function logout(deps: Pick<Deps, "sessions" | "clock">, session: Session): Promise<void> {
  await deps.sessions.revoke(session, deps.clock.now());
}

/**
 * When the user's 2FA turns on, sessions opened without a second factor end: they were earned by a
 * password alone. Those that proved a factor at or after `since` (the session that activated it,
 * later 2FA logins) stay. Idempotent, so the TwoFactorEnabled consumer can repeat it after a crash.
 */
export async function endUnprovenSessions(deps: Pick<Deps, "sessions" | "clock">, userId: string, since: Date): Promise<number> {
  const now = deps.clock.now();
  const unproven = (await deps.sessions.listLive(userId, now))
    .filter((s) => !s.secondFactorAt || new Date(s.secondFactorAt) < since)
    .filter((s) => new Date(s.createdAt) <= since);
  await Promise.all(unproven.map((s) => deps.sessions.revoke(s, now)));
  return unproven.length;
}
