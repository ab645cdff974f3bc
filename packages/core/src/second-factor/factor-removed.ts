import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import { newEvent } from "../shared/events.js";

/**
 * After a factor's removal is written. When it was the last factor (as read before the write, and
 * the write owed TwoFactorDisabled), the recovery codes go: with 2FA off they would be a way around
 * nothing. When another factor seemed to remain, the account is read again: if a concurrent request
 * removed that other factor meanwhile, neither request owed TwoFactorDisabled, so it is owed here,
 * with the clearing of the codes. Two such racers may both report it (at least once, never zero).
 */
export async function afterFactorRemoved(
  deps: Pick<Deps, "accounts" | "recoveryCodes" | "clock">,
  userId: string,
  method: "totp" | "webauthn",
  wasLastFactor: boolean,
  context: RequestContext,
): Promise<void> {
  if (wasLastFactor) return deps.recoveryCodes.clear(userId);
  if (twoFactorEnabled(await loadAccount(deps, userId))) return;
  const disabled = newEvent("TwoFactorDisabled", { userId, method }, { ...context, now: deps.clock.now() });
  await deps.recoveryCodes.clear(userId, [disabled]);
}
