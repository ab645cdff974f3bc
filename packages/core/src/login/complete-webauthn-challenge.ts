import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { presentedAssertion } from "../webauthn/presented-assertion.js";
import { finishLogin, type Remember } from "./finish-login.js";

/** Second factor of a login by security key; the assertion must answer a WebAuthn challenge of this login. */
export function completeWebAuthnChallenge(
  deps: Deps,
  input: { challengeId: string; response: AuthenticationResponseJSON } & Remember,
  context: RequestContext,
) {
  return finishLogin(deps, input.challengeId,
    (account, challengeHash) => presentedAssertion(deps, account, input.response, { ceremony: "authentication", boundTo: challengeHash }, context),
    input, context);
}
