import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { assertMayCheck } from "../attempts/attempt-budget.js";
import type { Session } from "../ports.js";
import { assertionOptions } from "../webauthn/assertion-options.js";
import { presentedAssertion } from "../webauthn/presented-assertion.js";
import { loadWithTwoFactor, proveForSession } from "./prove-for-session.js";

/** Sudo mode by a security key. Apart from reauthenticate.ts, so that the code route bundles no WebAuthn library. */
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
