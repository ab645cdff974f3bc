import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import { assertMayCheck } from "../attempts/attempt-budget.js";
import { TwoFactorNotEnabledError } from "../errors.js";
import type { Account, Session } from "../ports.js";
import { presentedCode, recoveryCodeUsed } from "../second-factor/code-factor.js";
import { proveAndApply, type Presented } from "../second-factor/prove-and-apply.js";
import { recentUntil } from "../sessions/recent-authentication.js";
import { assertionOptions } from "../webauthn/assertion-options.js";
import { presentedAssertion } from "../webauthn/presented-assertion.js";

/** Sudo mode: a fresh second-factor proof, counted and locked like a login challenge, makes this session recent. */
export function reauthenticate(deps: Deps, session: Session, code: string, context: RequestContext) {
  return proveForSession(deps, session, (account) => presentedCode(deps, account, code, ["totp", "recovery_code"]), context);
}

export async function reauthenticateWithKey(deps: Deps, session: Session, response: AuthenticationResponseJSON, context: RequestContext) {
  return proveForSession(deps, session,
    (account) => presentedAssertion(deps, account, response, { ceremony: "reauthentication", boundTo: session.tokenHash }, context),
    context);
}

/** Request options for reauthenticating with a key, bound to this session. */
export async function startKeyReauthentication(
  deps: Deps,
  session: Session,
  context: RequestContext,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
  const account = await loadWithTwoFactor(deps, session);
  await assertMayCheck(deps, account, "second_factor", context);
  return assertionOptions(deps, account, { ceremony: "reauthentication", boundTo: session.tokenHash, notAfter: new Date(session.expiresAt) });
}

async function proveForSession(
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
  await deps.sessions.markSecondFactor(session, new Date(proven.secondFactorAt));
  return { reauthenticatedUntil: recentUntil(deps, proven)!.toISOString() };
}

async function loadWithTwoFactor(deps: Deps, session: Session): Promise<Account> {
  const account = await loadAccount(deps, session.userId);
  if (!twoFactorEnabled(account)) throw new TwoFactorNotEnabledError();
  return account;
}
