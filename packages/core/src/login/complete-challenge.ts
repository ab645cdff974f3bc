import type { Deps, RequestContext } from "../deps.js";
import { proveSecondFactor, type CodeFactor } from "../second-factor/prove-second-factor.js";
import { finishLogin } from "./finish-login.js";

/** Second factor of a login by code: a TOTP code or a recovery code. */
export function completeChallenge(
  deps: Deps,
  input: { challengeId: string; factor: CodeFactor; code: string },
  context: RequestContext,
) {
  return finishLogin(deps, input.challengeId, (account) =>
    proveSecondFactor(deps, account, input.code, [input.factor], "login", context), context);
}
