import type { Deps, RequestContext } from "../deps.js";
import { TooManyAttemptsError } from "../errors.js";
import type { Account, AttemptState, Budget, LockScope } from "../ports.js";
import { newEvent } from "../common/events.js";
import { networkOf } from "../common/network.js";
import { addSeconds, secondsUntil } from "../common/time.js";

/**
 * The attempt budgets (5 second factors and 10 passwords in a row per account; wrong answers per
 * network and window). A check first refuses early while locked (`assertMayCheck`: 429, nothing
 * counted); after it, a wrong answer is counted or refused by a conditional increment
 * (`countWrong`), and a right one is decided by its own claim's write (docs/decisions/0014).
 */

type CheckedMethod = "password" | "totp" | "webauthn" | "recovery_code";

type BudgetDeps = Pick<Deps, "attempts" | "networks" | "clock" | "policy">;

export function budgetFor(policy: Deps["policy"], scope: LockScope): Budget {
  return {
    scope,
    maxFailures: scope === "password" ? policy.maxPasswordFailures : policy.maxSecondFactorFailures,
    lockSeconds: policy.lockSeconds,
  };
}

/**
 * The caller's network budget as read now: seconds it stays refused (0 when open). It depends on the
 * caller's address alone, so a request starts it beside its account read (one round trip for both)
 * and hands it to `assertMayCheck`; until then a failed read is held, not thrown.
 */
export function readNetworkBudget(deps: Pick<BudgetDeps, "networks" | "clock" | "policy">, context: RequestContext): Promise<number> {
  const network = networkOf(context.ip);
  if (!network) return Promise.resolve(0);
  const read = deps.networks.refusedFor(network, deps.policy.networkFailureLimit, deps.clock.now())
    .then((wait) => Math.min(deps.policy.networkWindowSeconds, wait));
  read.catch(() => {}); // awaited later, or never if the request fails first
  return read;
}

/** Step 1: refuses with 429 while the caller's network is spent or the account's scope is locked (as read). */
export async function assertMayCheck(
  deps: BudgetDeps,
  account: Pick<Account, "profile" | "attempts"> | undefined,
  scope: LockScope,
  context: RequestContext,
  network: Promise<number> = readNetworkBudget(deps, context),
): Promise<void> {
  const networkWait = await network;
  if (networkWait > 0) throw new TooManyAttemptsError(networkWait);
  if (!account) return;
  const wait = await refusal(deps, account.profile.id, scope, account.attempts[scope] ?? { failures: 0 }, context);
  if (wait > 0) throw new TooManyAttemptsError(wait);
}

/**
 * Step 2 for a wrong answer: counted against the network and (for an existing account) the
 * account, or refused with 429 when either budget is spent. Returns when the failure was counted;
 * the caller then answers its 401. The failure that spends the account's budget locks it.
 */
export async function countWrong(
  deps: BudgetDeps,
  userId: string | undefined,
  scope: LockScope,
  method: CheckedMethod,
  context: RequestContext,
): Promise<void> {
  const now = deps.clock.now();
  const { networkFailureLimit, networkWindowSeconds } = deps.policy;
  const network = networkOf(context.ip);
  if (network && (await deps.networks.countFailure(network, networkFailureLimit, networkWindowSeconds, now)) === undefined) {
    // Another request may have opened the window a moment after `now`: never say more than a window.
    const wait = Math.min(networkWindowSeconds, await deps.networks.refusedFor(network, networkFailureLimit, now));
    throw new TooManyAttemptsError(Math.max(1, wait));
  }
  if (!userId) return;
  const budget = budgetFor(deps.policy, scope);
  const stage = scope === "password" ? "password" : "second_factor";
  const failed = newEvent("LoginFailed", { userId, stage, method }, { ...context, now });
  const failures = await deps.attempts.countFailure(userId, budget, now, [failed]);
  if (failures === undefined) {
    // Not counted here, so not counted there either: a 429 is no check.
    if (network) await deps.networks.uncount(network);
    throw await refused(deps, userId, scope, context);
  }
  if (failures >= budget.maxFailures) await lockOnce(deps, userId, budget, addSeconds(now, budget.lockSeconds), context);
}

/** The 429 for a scope whose write was refused: how long it stays refused, as stored now. */
export async function refused(deps: BudgetDeps, userId: string, scope: LockScope, context: RequestContext): Promise<TooManyAttemptsError> {
  const wait = await refusal(deps, userId, scope, await deps.attempts.read(userId, scope), context);
  // A lock that ended between the refused write and this read: the caller may simply try again.
  return new TooManyAttemptsError(Math.max(1, wait));
}

/**
 * Seconds the scope stays refused, from its state: a live lock, or a spent count whose lock was
 * never written (the request that spent it died first) — that lock is written now, from the time
 * of the last failure, and owes the AccountLocked its request could not. 0 when open.
 */
async function refusal(deps: BudgetDeps, userId: string, scope: LockScope, state: AttemptState, context: RequestContext): Promise<number> {
  const now = deps.clock.now();
  if (state.lockedUntil && new Date(state.lockedUntil) > now) return secondsUntil(new Date(state.lockedUntil), now);
  const budget = budgetFor(deps.policy, scope);
  if (state.failures < budget.maxFailures) return 0;
  const until = addSeconds(state.lastFailureAt ? new Date(state.lastFailureAt) : now, budget.lockSeconds);
  await lockOnce(deps, userId, budget, until, context);
  return until > now ? secondsUntil(until, now) : 0;
}

function lockOnce(deps: BudgetDeps, userId: string, budget: Budget, until: Date, context: RequestContext): Promise<boolean> {
  const locked = newEvent("AccountLocked", { userId, scope: budget.scope, lockedUntil: until.toISOString() }, { ...context, now: deps.clock.now() });
  return deps.attempts.lock(userId, budget, until, [locked]);
}
