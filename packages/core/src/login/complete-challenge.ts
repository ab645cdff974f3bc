import type { Deps, RequestContext } from "../deps.js";
import { presentedCode, type CodeFactor } from "../second-factor/code-factor.js";
import { finishLogin } from "./finish-login.js";

/** Second factor of a login by code: a TOTP code or a recovery code. */
export function completeChallenge(
  deps: Deps,
  input: { challengeId: string; factor: CodeFactor; code: string },
  context: RequestContext,
) {
  return finishLogin(deps, input.challengeId, (account) => presentedCode(deps, account, input.code, [input.factor]), context);
}
