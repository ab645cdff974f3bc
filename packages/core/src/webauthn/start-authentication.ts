import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { assertMayCheck } from "../attempts/attempt-budget.js";
import { ChallengeNotFoundError } from "../errors.js";
import { parseChallengeId } from "../login/challenge-id.js";
import { liveChallenge } from "../login/live-challenge.js";
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
  const id = parseChallengeId(challengeId);
  const account = id && (await deps.accounts.load(id.userId));
  const login = id && account && liveChallenge(account, id.idHash, deps.clock.now());
  if (!id || !account || !login) throw new ChallengeNotFoundError();
  await assertMayCheck(deps, account, "second_factor", context);
  return assertionOptions(deps, account, { ceremony: "authentication", boundTo: id.idHash, notAfter: new Date(login.expiresAt) });
}
