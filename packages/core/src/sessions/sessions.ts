import type { DomainEvent } from "@twofactor/events";
import type { Deps, RequestContext } from "../deps.js";
import { UnauthenticatedError } from "../errors.js";
import { scopeOf, sessionLive, stateAt } from "../fence/fence.js";
import type { Account, SecurityState, Session, SessionScope } from "../ports.js";
import { newEvent } from "../common/events.js";
import { addSeconds } from "../common/time.js";
import { newToken, sha256 } from "../common/tokens.js";

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

/** A session as a request sees it: its scope and the user's security state, as of this request. */
export interface AuthenticatedSession extends Session {
  scope: SessionScope;
  security: SecurityState;
}

/**
 * Issues a session under the epoch the login read, and owes LoginSucceeded in the same write: if
 * the epoch moved meanwhile (2FA turned on, a reset taking effect), the session is born dead. A
 * session opened by a second factor is recent at first (`secondFactorAt`); one opened by a
 * password or a trusted device is not.
 */
export async function issueSession(
  deps: Pick<Deps, "sessions" | "clock" | "policy">,
  state: { userId: string; epoch: number; scope: SessionScope },
  method: LoginMethod,
  context: RequestContext,
  deviceId?: string,
): Promise<IssuedSession> {
  const { userId, epoch, scope } = state;
  const now = deps.clock.now();
  const token = `${userId}.${newToken()}`;
  const provedSecondFactor = method === "totp" || method === "webauthn" || method === "recovery_code";
  const session: Session = {
    tokenHash: sha256(token),
    userId,
    epoch,
    createdAt: now.toISOString(),
    expiresAt: addSeconds(now, deps.policy.sessionTtlSeconds).toISOString(),
    ...(provedSecondFactor ? { secondFactorAt: now.toISOString() } : {}),
  };
  const owed: DomainEvent[] = [newEvent("LoginSucceeded", { userId, method, scope, ...(deviceId ? { deviceId } : {}) }, { ...context, now })];
  await deps.sessions.create(session, owed);
  return { token, expiresAt: session.expiresAt, scope };
}

/**
 * Resolves a bearer token to its live session, or refuses: the session and the user's security
 * state are read together, and the session must live under the state's epoch. Its scope follows
 * the state: setup while a team holds the user and they have no factor.
 */
export async function authenticate(deps: Pick<Deps, "sessions" | "clock">, token: string | undefined): Promise<AuthenticatedSession> {
  const parsed = token ? parseToken(token) : undefined;
  if (!parsed) throw new UnauthenticatedError();
  const now = deps.clock.now();
  const { session, state } = await deps.sessions.lookup(parsed.userId, parsed.tokenHash, now);
  const security = stateAt(state, now);
  if (!session || !sessionLive(session, security)) throw new UnauthenticatedError();
  return { ...session, scope: scopeOf(security), security };
}

/**
 * `authenticate` for a request whose use case reads the user's account first: the token names the
 * user, so the session and the account go out together, and the session is checked against the
 * security state the account's query read (its FACTORS item) — one round trip where there were two.
 */
export async function authenticateWithAccount(
  deps: Pick<Deps, "sessions" | "accounts" | "clock">,
  token: string | undefined,
): Promise<{ session: AuthenticatedSession; account: Account }> {
  const parsed = token ? parseToken(token) : undefined;
  if (!parsed) throw new UnauthenticatedError();
  const now = deps.clock.now();
  const [session, account] = await Promise.all([deps.sessions.find(parsed.userId, parsed.tokenHash, now), deps.accounts.load(parsed.userId)]);
  if (!account) throw new UnauthenticatedError();
  const security = stateAt(account, now);
  if (!session || !sessionLive(session, security)) throw new UnauthenticatedError();
  return { session: { ...session, scope: scopeOf(security), security }, account };
}

export async function logout(deps: Pick<Deps, "sessions" | "clock">, session: Session): Promise<void> {
  await deps.sessions.revoke(session, deps.clock.now());
}
