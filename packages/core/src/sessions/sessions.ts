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

/** Issues a session and owes LoginSucceeded in the same write. Only the token's hash is stored. */
export async function issueSession(
  deps: Pick<Deps, "sessions" | "clock" | "policy">,
  userId: string,
  method: LoginMethod,
  context: RequestContext,
  scope: SessionScope = "full",
): Promise<IssuedSession> {
  const now = deps.clock.now();
  const token = newToken();
  const session: Session = {
    tokenHash: sha256(token),
    userId,
    scope,
    createdAt: now.toISOString(),
    expiresAt: addSeconds(now, deps.policy.sessionTtlSeconds).toISOString(),
  };
  const owed: DomainEvent[] = [newEvent("LoginSucceeded", { userId, method, scope }, { ...context, now })];
  await deps.sessions.create(session, owed);
  return { token, expiresAt: session.expiresAt, scope };
}

/** Resolves a bearer token to its live session, or refuses. */
export async function authenticate(deps: Pick<Deps, "sessions" | "clock">, token: string | undefined): Promise<Session> {
  if (!token) throw new UnauthenticatedError();
  const session = await deps.sessions.find(sha256(token), deps.clock.now());
  if (!session) throw new UnauthenticatedError();
  return session;
}

export async function logout(deps: Pick<Deps, "sessions" | "clock">, session: Session): Promise<void> {
  await deps.sessions.revoke(session.tokenHash, deps.clock.now());
}
