import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { proveSecurityKey } from "../webauthn/prove-security-key.js";
import { finishLogin } from "./finish-login.js";

/** Second factor of a login by security key; the assertion must answer a WebAuthn challenge of this login. */
export function completeWebAuthnChallenge(
  deps: Deps,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  context: RequestContext,
) {
  return finishLogin(deps, input.challengeId, async (account, challengeHash) => ({
    factor: "webauthn",
    account: await proveSecurityKey(deps, account, input.response, challengeHash, context),
  }), context);
}
