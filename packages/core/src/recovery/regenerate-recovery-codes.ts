import type { Deps, RequestContext, WithVault } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import { TwoFactorNotEnabledError } from "../errors.js";
import type { Session } from "../ports.js";
import { presentedCode, recoveryCodeUsed } from "../second-factor/code-factor.js";
import { applyUnproven, proveAndApply } from "../second-factor/prove-and-apply.js";
import { requireRecentAuthentication } from "../sessions/recent-authentication.js";
import { newEvent } from "../common/events.js";
import { newRecoverySet } from "./new-recovery-set.js";
import { RECOVERY_CODES_PER_SET } from "./recovery-code.js";

/**
 * A new set voids the old one. It takes a current code (or one of the old recovery codes), or none
 * while the session is recently authenticated. The set is written only if the factors are still
 * the version read (one write with the proof's claim), so of concurrent regenerations exactly one
 * stores its set and answers; the others answer 409, or 401 when their recovery code belonged to
 * the set that was just replaced.
 */
export async function regenerateRecoveryCodes(
  deps: Deps & WithVault,
  session: Session,
  code: string | undefined,
  context: RequestContext,
): Promise<{ recoveryCodes: string[] }> {
  const userId = session.userId;
  const account = await loadAccount(deps, userId);
  if (!twoFactorEnabled(account)) throw new TwoFactorNotEnabledError();
  const recovery = newRecoverySet(userId);
  const effect = { kind: "replace_recovery_codes", recoveryCodeHashes: recovery.hashes } as const;
  const now = deps.clock.now();
  const regenerated = newEvent("RecoveryCodesRegenerated", { userId, count: RECOVERY_CODES_PER_SET }, { ...context, now });

  if (code === undefined) {
    requireRecentAuthentication(deps, session, account);
    await applyUnproven(deps, account, effect, [regenerated]);
  } else {
    await proveAndApply(deps, account, presentedCode(deps, account, code, ["totp", "recovery_code"]), effect,
      (claim) => [...recoveryCodeUsed(claim, account, "regenerate_recovery_codes", { ...context, now }), regenerated], context);
  }
  return { recoveryCodes: recovery.codes };
}
