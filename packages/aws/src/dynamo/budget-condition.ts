import type { Budget, LockScope } from "@twofactor/core";
import { keys } from "./keys.js";

/**
 * A budget's open state as a condition: not locked (or the lock has ended) and fewer failures than
 * it allows. `lockedUntil` and `lastFailureAt` are epoch milliseconds.
 */
export function budgetOpen(budget: Budget, now: Date) {
  return {
    condition: "(attribute_not_exists(lockedUntil) OR lockedUntil <= :budgetNow) AND (attribute_not_exists(failures) OR failures < :budgetMax)",
    values: { ":budgetNow": now.getTime(), ":budgetMax": budget.maxFailures },
  };
}

/** The second factor's budget sits on the factors item, beside the claims it guards; the password's on its own. */
export function budgetKey(userId: string, scope: LockScope) {
  return scope === "second_factor" ? keys.factors(userId) : keys.attempts(userId, scope);
}
