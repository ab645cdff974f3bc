import type { Deps, RequestContext } from "../deps.js";
import { presentedCode, type CodeFactor } from "../second-factor/code-factor.js";
import { finishLogin, type Remember } from "./finish-login.js";

/** Second factor of a login by code: a TOTP code or a recovery code. */
export function completeChallenge(
  deps: Deps,
  input: { challengeId: string; factor: CodeFactor; code: string } & Remember,
  context: RequestContext,
) {
  return finishLogin(deps, input.challengeId, (account) => presentedCode(deps, account, input.code, [input.factor]), input, context);
}
