import type { Account, Challenge, PendingReset, SecurityState, Session, SessionScope, TrustedDevice } from "../ports.js";

/**
 * The fence: every credential carries the version of the user's security state it was issued
 * under, and every check compares it with that state, read in the same round trip. A change that
 * must end credentials moves the version in the same conditional write that makes the change, so a
 * credential handed out by a request that read the old state is dead once the change is stored,
 * however the requests interleave. These are the comparisons.
 */

/** The reset that has taken effect at `now`, whether or not anything has written it yet. */
export function resetTakenEffect(state: SecurityState, now: Date): PendingReset | undefined {
  const reset = state.pendingReset;
  if (!reset || new Date(reset.effectiveAt) > now) return undefined;
  return state.teams.some((team) => team.teamId === reset.teamId && team.joinedAt === reset.joinedAt) ? reset : undefined;
}

/** The reset still waiting at `now` (the member may cancel it); undefined when none is, or it has taken effect. */
export function waitingReset(state: SecurityState, now: Date): PendingReset | undefined {
  const reset = state.pendingReset;
  return reset && new Date(reset.effectiveAt) > now ? reset : undefined;
}

/**
 * The state as it is at `now`: a reset whose time has come has taken effect — the factors gone,
 * the epoch and the factors version moved exactly as its own write will move them — even before
 * anything writes it.
 */
export function stateAt(state: SecurityState, now: Date): SecurityState {
  if (!resetTakenEffect(state, now)) return state;
  const { epochKeep: _kept, pendingReset: _reset, ...rest } = state;
  return { ...rest, epoch: state.epoch + 1, factorsVersion: state.factorsVersion + 1, hasFactor: false };
}

/** A session lives under the epoch it was issued at; a move of the epoch keeps only the session that made it. */
export function sessionLive(session: Pick<Session, "epoch" | "tokenHash">, state: SecurityState): boolean {
  return session.epoch === state.epoch || (session.epoch === state.epoch - 1 && state.epochKeep === session.tokenHash);
}

/** A team holds the user and they have no factor yet: only setup is allowed. */
export function needsSetup(state: Pick<SecurityState, "enforcedBy" | "hasFactor">): boolean {
  return state.enforcedBy.length > 0 && !state.hasFactor;
}

/** A session's scope is never stored: it follows the state at each request. */
export function scopeOf(state: SecurityState): SessionScope {
  return needsSetup(state) ? "setup" : "full";
}

/** A login challenge still answers if it has not expired and was issued under the current epoch. */
export function challengeLive(challenge: Challenge, account: Pick<Account, "epoch">, now: Date): boolean {
  return challenge.epoch === account.epoch && new Date(challenge.expiresAt) > now;
}

/**
 * A trusted device skips the second factor while it is within its lifetime, has not come back
 * changed, and no factor changed since it earned its trust.
 */
export function deviceTrusted(device: TrustedDevice, state: Pick<SecurityState, "factorsVersion">, now: Date): boolean {
  return !device.changedAt && device.factorsVersion === state.factorsVersion && new Date(device.expiresAt) > now;
}
