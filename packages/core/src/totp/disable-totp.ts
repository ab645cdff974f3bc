import type { Deps, RequestContext, WithVault } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { factorCount } from "../accounts/user-view.js";
import { EnforcedByTeamError, TotpNotEnabledError } from "../errors.js";
import { presentedCode, recoveryCodeUsed } from "../second-factor/code-factor.js";
import { proveAndApply } from "../second-factor/prove-and-apply.js";
import { newEvent } from "../common/events.js";

/**
 * Removes the authenticator app, proven by a current code or a recovery code (itself a fresh
 * proof, so no recent authentication is asked). While security keys remain 2FA stays on. With no
 * factor left 2FA is off, and the recovery codes go in the same write: they would be a way around
 * nothing. The write is conditioned on the factors as read, so two removals racing for the last
 * two factors cannot both believe another remains.
 */
export async function disableTotp(deps: Deps & WithVault, userId: string, code: string, context: RequestContext): Promise<void> {
  const account = await loadAccount(deps, userId);
  if (account.totp?.status !== "active") throw new TotpNotEnabledError();
  const now = deps.clock.now();
  const lastFactor = factorCount(account) === 1;
  // Decided before any code is checked: nothing is used up by a refusal.
  if (lastFactor && account.enforcedBy.length > 0) throw new EnforcedByTeamError();
  await proveAndApply(deps, account, presentedCode(deps, account, code, ["totp", "recovery_code"]),
    { kind: "disable_totp", clearRecoveryCodes: lastFactor },
    (claim) => [
      ...recoveryCodeUsed(claim, account, "disable_totp", { ...context, now }),
      newEvent("TotpDisabled", { userId, with: claim.kind === "recovery_code" ? "recovery_code" : "totp" }, { ...context, now }),
      ...(lastFactor ? [newEvent("TwoFactorDisabled", { userId, method: "totp" }, { ...context, now })] : []),
    ], context);
}
