import type { Deps, RequestContext } from "../deps.js";
import { TooManyAttemptsError } from "../errors.js";
import type { Account, LockScope } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { addSeconds, secondsUntil } from "../shared/time.js";

type FailedMethod = "password" | "totp" | "webauthn" | "recovery_code";

/** Refuses while the account's `scope` is locked, whatever the caller presents. */
export function assertNotLocked(account: Account, scope: LockScope, now: Date): void {
  const lockedUntil = account.attempts[scope]?.lockedUntil;
  if (lockedUntil && new Date(lockedUntil) > now) {
    throw new TooManyAttemptsError(secondsUntil(new Date(lockedUntil), now));
  }
}

/**
 * Counts a failed check. The failure that makes the run reach the threshold locks the scope
 * (one conditional write, so concurrent failures lock once and emit one AccountLocked).
 */
export async function recordFailure(
  deps: Pick<Deps, "attempts" | "clock" | "policy">,
  userId: string,
  scope: LockScope,
  method: FailedMethod,
  context: RequestContext,
): Promise<void> {
  const now = deps.clock.now();
  const stage = scope === "password" ? "password" : "second_factor";
  const failures = await deps.attempts.fail(userId, scope, [
    newEvent("LoginFailed", { userId, stage, method }, { ...context, now }),
  ]);
  const threshold = scope === "password" ? deps.policy.maxPasswordFailures : deps.policy.maxSecondFactorFailures;
  if (failures < threshold) return;
  const until = addSeconds(now, deps.policy.lockSeconds);
  await deps.attempts.lock(userId, scope, threshold, until, [
    newEvent("AccountLocked", { userId, scope, lockedUntil: until.toISOString() }, { ...context, now }),
  ]);
}

/** A success ends the run of failures (no write when there was none). */
export async function recordSuccess(deps: Pick<Deps, "attempts">, account: Account, scope: LockScope): Promise<void> {
  if ((account.attempts[scope]?.failures ?? 0) > 0) await deps.attempts.reset(account.profile.id, scope);
}
