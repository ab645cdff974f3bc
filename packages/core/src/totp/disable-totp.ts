import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { factorCount } from "../accounts/user-view.js";
import { TotpNotEnabledError } from "../errors.js";
import { afterFactorRemoved } from "../second-factor/factor-removed.js";
import { proveSecondFactor } from "../second-factor/prove-second-factor.js";
import { newEvent } from "../shared/events.js";

/**
 * Removes the authenticator app, proven by a current code or a recovery code. While security keys
 * remain 2FA stays on (no TwoFactorDisabled, recovery codes kept). With no factor left 2FA is off,
 * and the recovery codes go with it: they would be a way around nothing.
 */
export async function disableTotp(deps: Deps, userId: string, code: string, context: RequestContext): Promise<void> {
  const account = await loadAccount(deps, userId);
  if (account.totp?.status !== "active") throw new TotpNotEnabledError();

  const proof = await proveSecondFactor(deps, account, code, ["totp", "recovery_code"], "disable_totp", context);
  const now = deps.clock.now();
  const lastFactor = factorCount(account) === 1;
  const owed = [newEvent("TotpDisabled", { userId, with: proof.factor }, { ...context, now })];
  if (lastFactor) owed.push(newEvent("TwoFactorDisabled", { userId, method: "totp" }, { ...context, now }));
  if (!(await deps.totp.disable(userId, now, owed))) throw new TotpNotEnabledError();
  await afterFactorRemoved(deps, userId, "totp", lastFactor, context);
}
