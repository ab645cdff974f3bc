import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import { TwoFactorNotEnabledError } from "../errors.js";
import { proveSecondFactor } from "../second-factor/prove-second-factor.js";
import { newEvent } from "../shared/events.js";
import { issueRecoveryCodes } from "./issue-recovery-codes.js";
import { RECOVERY_CODES_PER_SET } from "./recovery-code.js";

/** A new set voids the old one; it takes a current code (or one of the old recovery codes). */
export async function regenerateRecoveryCodes(
  deps: Deps,
  userId: string,
  code: string,
  context: RequestContext,
): Promise<{ recoveryCodes: string[] }> {
  const account = await loadAccount(deps, userId);
  if (!twoFactorEnabled(account)) throw new TwoFactorNotEnabledError();

  await proveSecondFactor(deps, account, code, ["totp", "recovery_code"], "regenerate_recovery_codes", context);
  const now = deps.clock.now();
  const regenerated = newEvent("RecoveryCodesRegenerated", { userId, count: RECOVERY_CODES_PER_SET }, { ...context, now });
  return { recoveryCodes: await issueRecoveryCodes(deps, userId, [regenerated]) };
}
