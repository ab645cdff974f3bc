import type { DomainEvent } from "@twofactor/events";
import type { Deps, RequestContext, WithVault } from "../deps.js";
import type { Account, Claim } from "../ports.js";
import { isRecoveryCodeShape, unusedRecoveryCodeKey, unusedRecoveryCodes } from "../recovery/recovery-code.js";
import { newEvent } from "../common/events.js";
import { matchTotpStep, totpContext } from "../totp/totp-code.js";
import type { Presented } from "./prove-and-apply.js";

export type CodeFactor = "totp" | "recovery_code";

const TOTP_SHAPE = /^\d{6}$/;

/**
 * A typed code as a presented factor: six digits are a TOTP code (checked against the active
 * secret, claiming its step), anything else a recovery code (claiming its hash if it is unused).
 * `accepted` limits which of the two this call takes; another kind is simply wrong (and needs no vault).
 */
export function presentedCode(
  deps: Pick<Deps, "clock"> & Partial<WithVault>,
  account: Account,
  code: string,
  accepted: readonly CodeFactor[],
): Presented {
  const userId = account.profile.id;
  const method: CodeFactor = TOTP_SHAPE.test(code) ? "totp" : "recovery_code";
  return {
    method,
    async verify(): Promise<Claim | undefined> {
      if (!accepted.includes(method)) return undefined;
      if (method === "totp") {
        if (account.totp?.status !== "active" || !account.totp.sealedSecret) return undefined;
        // Only a caller that accepts no TOTP code may come without a vault (completeChallenge's overloads).
        if (!deps.vault) throw new Error("a TOTP code was accepted where no vault is composed");
        const secret = await deps.vault.open(account.totp.sealedSecret, totpContext(userId));
        const step = await matchTotpStep(secret, code, deps.clock.now());
        return step === undefined ? undefined : { kind: "totp_step", step };
      }
      if (!isRecoveryCodeShape(code) || !account.recovery) return undefined;
      const hash = unusedRecoveryCodeKey(account.recovery, userId, code);
      return hash === undefined ? undefined : { kind: "recovery_code", hash };
    },
  };
}

export type RecoveryPurpose = "login" | "disable_totp" | "regenerate_recovery_codes" | "reauthenticate";

/** The RecoveryCodeUsed that a recovery-code claim owes; nothing for other claims. */
export function recoveryCodeUsed(claim: Claim, account: Account, purpose: RecoveryPurpose, context: RequestContext & { now: Date }): DomainEvent[] {
  if (claim.kind !== "recovery_code") return [];
  const remaining = Math.max(0, unusedRecoveryCodes(account.recovery) - 1);
  return [newEvent("RecoveryCodeUsed", { userId: account.profile.id, purpose, remaining }, context)];
}
