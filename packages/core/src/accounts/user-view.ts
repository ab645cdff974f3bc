import { needsSetup as heldToSetup } from "../fence/fence.js";
import type { Account, SecondFactorMethod } from "../ports.js";
import { unusedRecoveryCodes } from "../recovery/recovery-code.js";
import { securityScore, type SecurityScore } from "./security-score.js";

/** What decides a user's second factors; `securityKeys` may be absent for an account that has none yet. */
export type AccountFactors = Pick<Account, "totp" | "recovery"> & Partial<Pick<Account, "securityKeys" | "enforcedBy" | "pendingReset">>;

export interface TwoFactorView {
  enabled: boolean;
  methods: SecondFactorMethod[];
  needsSetup: boolean;
  enforcedBy: string[];
  /** A reset an admin requested, until it takes effect or the user cancels it by proving a factor. */
  pendingReset: { teamId: string; requestedBy: string; effectiveAt: string } | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  twoFactor: TwoFactorView;
  recoveryCodesRemaining: number;
  securityScore: SecurityScore;
}

/** Active factors: the authenticator app counts once, each security key once. */
export function factorCount(account: AccountFactors): number {
  return (account.totp?.status === "active" ? 1 : 0) + (account.securityKeys?.length ?? 0);
}

/** The second factors a login challenge may offer this user. */
export function secondFactorMethods(account: AccountFactors): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (account.totp?.status === "active") methods.push("totp");
  if ((account.securityKeys?.length ?? 0) > 0) methods.push("webauthn");
  if (methods.length > 0 && unusedRecoveryCodes(account.recovery) > 0) methods.push("recovery_code");
  return methods;
}

/** The first factor activated (TOTP or a security key) turns 2FA on; a security key alone counts. */
export function twoFactorEnabled(account: AccountFactors): boolean {
  return factorCount(account) > 0;
}

/** A team enforces 2FA on the user and the user has no factor yet. */
export function needsSetup(account: AccountFactors): boolean {
  return heldToSetup({ enforcedBy: account.enforcedBy ?? [], hasFactor: twoFactorEnabled(account) });
}

export function toUserView(account: Pick<Account, "profile"> & AccountFactors): UserView {
  const enabled = twoFactorEnabled(account);
  const recoveryCodesRemaining = enabled ? unusedRecoveryCodes(account.recovery) : 0;
  return {
    ...account.profile,
    twoFactor: {
      enabled,
      methods: secondFactorMethods(account),
      needsSetup: needsSetup(account),
      enforcedBy: account.enforcedBy ?? [],
      pendingReset: account.pendingReset
        ? { teamId: account.pendingReset.teamId, requestedBy: account.pendingReset.requestedBy, effectiveAt: account.pendingReset.effectiveAt }
        : null,
    },
    recoveryCodesRemaining,
    securityScore: securityScore({
      twoFactorEnabled: enabled,
      securityKeys: account.securityKeys?.length ?? 0,
      factors: factorCount(account),
      recoveryCodesRemaining,
    }),
  };
}
