import type { Deps, RequestContext, WithVault } from "../deps.js";
import { presentedCode, type CodeFactor } from "../second-factor/code-factor.js";
import { finishLogin, type Remember } from "./finish-login.js";

type CodeInput<F extends CodeFactor> = { challengeId: string; factor: F; code: string } & Remember;

/**
 * Second factor of a login by code: a TOTP code (which opens the sealed secret, so it needs the
 * vault) or a recovery code (hashes only: its function holds no key and bundles no Encryption SDK).
 */
export function completeChallenge(deps: Deps & WithVault, input: CodeInput<"totp">, context: RequestContext): ReturnType<typeof finishLogin>;
export function completeChallenge(deps: Deps, input: CodeInput<"recovery_code">, context: RequestContext): ReturnType<typeof finishLogin>;
export function completeChallenge(deps: Deps & Partial<WithVault>, input: CodeInput<CodeFactor>, context: RequestContext) {
  return finishLogin(deps, input.challengeId, (account) => presentedCode(deps, account, input.code, [input.factor]), input, context);
}
