import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { assertMayCheck } from "../attempts/attempt-budget.js";
import { ChallengeNotFoundError } from "../errors.js";
import { sha256 } from "../shared/tokens.js";
import { assertionOptions } from "./assertion-options.js";

/**
 * Options for a login challenge's security-key step, bound to that challenge. A locked second
 * factor (or a spent network) is refused here already.
 */
export async function startWebAuthnChallenge(
  deps: Deps,
  challengeId: string,
  context: RequestContext,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
  const loginChallengeHash = sha256(challengeId);
  const login = await deps.challenges.find(loginChallengeHash, deps.clock.now());
  const account = login && (await deps.accounts.load(login.userId));
  if (!login || !account) throw new ChallengeNotFoundError();
  await assertMayCheck(deps, account, "second_factor", context);
  return assertionOptions(deps, account, { ceremony: "authentication", boundTo: loginChallengeHash, notAfter: new Date(login.expiresAt) });
}
