import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import { TwoFactorNotEnabledError } from "../errors.js";
import type { Account, Session } from "../ports.js";
import { recoveryCodeUsed } from "../second-factor/code-factor.js";
import { proveAndApply, type Presented } from "../second-factor/prove-and-apply.js";
import { recentUntil } from "../sessions/recent-authentication.js";

/** Sudo mode: a fresh second-factor proof, counted and locked like a login challenge, makes this session recent. */
export async function proveForSession(
  deps: Deps,
  session: Session,
  present: (account: Account) => Presented,
  context: RequestContext,
): Promise<{ reauthenticatedUntil: string }> {
  const account = await loadWithTwoFactor(deps, session);
  const now = deps.clock.now();
  await proveAndApply(deps, account, present(account), { kind: "none" },
    (claim) => recoveryCodeUsed(claim, account, "reauthenticate", { ...context, now }), context);
  const proven = { ...session, secondFactorAt: deps.clock.now().toISOString() };
  await deps.sessions.markSecondFactor(session, new Date(proven.secondFactorAt), account.epoch);
  return { reauthenticatedUntil: recentUntil(deps, proven)!.toISOString() };
}

export async function loadWithTwoFactor(deps: Deps, session: Session): Promise<Account> {
  const account = await loadAccount(deps, session.userId);
  if (!twoFactorEnabled(account)) throw new TwoFactorNotEnabledError();
  return account;
}
