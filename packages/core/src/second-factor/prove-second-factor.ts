import type { Deps, RequestContext } from "../deps.js";
import { InvalidCodeError } from "../errors.js";
import { assertNotLocked, recordFailure, recordSuccess } from "../lockout/lockout.js";
import type { Account } from "../ports.js";
import { hashRecoveryCode, isRecoveryCodeShape, unusedRecoveryCodes } from "../recovery/recovery-code.js";
import { newEvent } from "../shared/events.js";
import { matchTotpStep, totpContext } from "../totp/totp-code.js";

export type CodeFactor = "totp" | "recovery_code";
export type RecoveryPurpose = "login" | "disable_totp" | "regenerate_recovery_codes";

const TOTP_SHAPE = /^\d{6}$/;

type ProofDeps = Pick<Deps, "attempts" | "clock" | "policy" | "totp" | "recoveryCodes" | "vault">;

/**
 * Checks a second-factor code and claims it, so that no code works twice: a TOTP code claims its
 * time step, a recovery code marks itself used (each one conditional write). Refuses while the
 * account is locked; a failure counts toward the lock, a success ends the run of failures.
 * Answers the factor that matched and the account as it is after the claim.
 */
export async function proveSecondFactor(
  deps: ProofDeps,
  account: Account,
  code: string,
  accepted: readonly CodeFactor[],
  purpose: RecoveryPurpose,
  context: RequestContext,
): Promise<{ factor: CodeFactor; account: Account }> {
  const now = deps.clock.now();
  assertNotLocked(account, "second_factor", now);
  const userId = account.profile.id;
  const factor: CodeFactor = TOTP_SHAPE.test(code) ? "totp" : "recovery_code";

  if (factor === "totp" && accepted.includes("totp") && account.totp?.status === "active" && account.totp.sealedSecret) {
    const secret = await deps.vault.open(account.totp.sealedSecret, totpContext(userId));
    const step = await matchTotpStep(secret, code, now);
    if (step !== undefined && (await deps.totp.useStep(userId, step))) {
      await recordSuccess(deps, account, "second_factor");
      return { factor, account: { ...account, totp: { ...account.totp, lastUsedStep: step } } };
    }
  }

  if (factor === "recovery_code" && accepted.includes("recovery_code") && isRecoveryCodeShape(code) && account.recovery) {
    const hash = hashRecoveryCode(userId, code);
    if (account.recovery.codes[hash] === false) {
      const remaining = unusedRecoveryCodes(account.recovery) - 1;
      const used = newEvent("RecoveryCodeUsed", { userId, purpose, remaining }, { ...context, now });
      if (await deps.recoveryCodes.use(userId, hash, [used])) {
        await recordSuccess(deps, account, "second_factor");
        const codes = { ...account.recovery.codes, [hash]: true };
        return { factor, account: { ...account, recovery: { ...account.recovery, codes } } };
      }
    }
  }

  await recordFailure(deps, userId, "second_factor", factor, context);
  throw new InvalidCodeError();
}
