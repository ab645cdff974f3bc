import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { factorCount } from "../accounts/user-view.js";
import { InvalidCodeError, TotpAlreadyEnabledError, TotpEnrollmentNotStartedError } from "../errors.js";
import { assertNotLocked, recordFailure, recordSuccess } from "../lockout/lockout.js";
import { issueRecoveryCodes } from "../recovery/issue-recovery-codes.js";
import { newEvent } from "../shared/events.js";
import { matchTotpStep, totpContext } from "./totp-code.js";

/**
 * Proves the app is set up and turns TOTP on (and 2FA, when it is the first factor; two first
 * factors added at once may both report TwoFactorEnabled, never neither). The activating code claims its step like any other
 * use, so it cannot be replayed afterwards. Recovery codes are issued after the activation wins,
 * so two racing activations cannot show a set that the other overwrote.
 */
export async function activateTotp(
  deps: Deps,
  userId: string,
  code: string,
  context: RequestContext,
): Promise<{ recoveryCodes: string[] }> {
  const account = await loadAccount(deps, userId);
  if (account.totp?.status === "active") throw new TotpAlreadyEnabledError();
  const sealedSecret = account.totp?.status === "pending" ? account.totp.sealedSecret : undefined;
  if (!sealedSecret) throw new TotpEnrollmentNotStartedError();

  const now = deps.clock.now();
  assertNotLocked(account, "second_factor", now);
  const step = await matchTotpStep(await deps.vault.open(sealedSecret, totpContext(userId)), code, now);
  const owed = [newEvent("TotpEnabled", { userId }, { ...context, now })];
  if (factorCount(account) === 0) owed.push(newEvent("TwoFactorEnabled", { userId, method: "totp" }, { ...context, now }));
  if (step === undefined || !(await deps.totp.activate(userId, sealedSecret, step, now, owed))) {
    await recordFailure(deps, userId, "second_factor", "totp", context);
    throw new InvalidCodeError();
  }
  await recordSuccess(deps, account, "second_factor");
  return { recoveryCodes: await issueRecoveryCodes(deps, userId, []) };
}
