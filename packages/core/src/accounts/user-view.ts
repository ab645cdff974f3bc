import type { Account, SecondFactorMethod } from "../ports.js";
import { unusedRecoveryCodes } from "../recovery/recovery-code.js";

export interface TwoFactorView {
  enabled: boolean;
  methods: SecondFactorMethod[];
  needsSetup: boolean;
  enforcedBy: string[];
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  twoFactor: TwoFactorView;
  recoveryCodesRemaining: number;
}

/** The second factors a login challenge may offer this user. */
export function secondFactorMethods(account: Pick<Account, "totp" | "recovery">): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (account.totp?.status === "active") methods.push("totp");
  if (methods.length > 0 && unusedRecoveryCodes(account.recovery) > 0) methods.push("recovery_code");
  return methods;
}

export function twoFactorEnabled(account: Pick<Account, "totp">): boolean {
  return account.totp?.status === "active";
}

export function toUserView(account: Pick<Account, "profile" | "totp" | "recovery">): UserView {
  const enabled = twoFactorEnabled(account);
  return {
    ...account.profile,
    twoFactor: { enabled, methods: secondFactorMethods(account), needsSetup: false, enforcedBy: [] },
    recoveryCodesRemaining: enabled ? unusedRecoveryCodes(account.recovery) : 0,
  };
}
