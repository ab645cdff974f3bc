import type { Deps, RequestContext, WithVault } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { factorCount } from "../accounts/user-view.js";
import { TotpAlreadyEnabledError, TotpEnrollmentNotStartedError } from "../errors.js";
import type { Claim, Session } from "../ports.js";
import { newRecoverySet } from "../recovery/new-recovery-set.js";
import { proveAndApply } from "../second-factor/prove-and-apply.js";
import { sessionProvedFactor } from "../second-factor/session-proved-factor.js";
import { newEvent } from "../common/events.js";
import { matchTotpStep, totpContext } from "./totp-code.js";

/**
 * Proves the app is set up and turns TOTP on — and 2FA, when it is the first factor. The code's
 * step claim, the activation and a fresh recovery set are one write, so a crash leaves TOTP either
 * off or on with its 10 codes, and the activating code can never be replayed. Turning 2FA on moves
 * the epoch in that same write: every other session of the user ends with it (they were opened
 * without a second factor), however the logins that opened them raced it.
 */
export async function activateTotp(
  deps: Deps & WithVault,
  session: Session,
  code: string,
  context: RequestContext,
): Promise<{ recoveryCodes: string[] }> {
  const userId = session.userId;
  const account = await loadAccount(deps, userId);
  if (account.totp?.status === "active") throw new TotpAlreadyEnabledError();
  const sealedSecret = account.totp?.status === "pending" ? account.totp.sealedSecret : undefined;
  if (!sealedSecret) throw new TotpEnrollmentNotStartedError();

  const recovery = newRecoverySet(userId);
  const now = deps.clock.now();
  const firstFactor = factorCount(account) === 0;
  const presented = {
    method: "totp" as const,
    async verify(): Promise<Claim | undefined> {
      const step = await matchTotpStep(await deps.vault.open(sealedSecret, totpContext(userId)), code, deps.clock.now());
      return step === undefined ? undefined : { kind: "totp_step", step };
    },
  };
  await proveAndApply(deps, account, presented, { kind: "activate_totp", sealedSecret, recoveryCodeHashes: recovery.hashes }, () => [
    newEvent("TotpEnabled", { userId }, { ...context, now }),
    ...(firstFactor ? [newEvent("TwoFactorEnabled", { userId, method: "totp" }, { ...context, now })] : []),
  ], context, { enrolling: firstFactor ? { turnsOnFor: session.tokenHash } : {} });
  await sessionProvedFactor(deps, session, account, firstFactor, now);
  return { recoveryCodes: recovery.codes };
}
