import type { Deps, RequestContext } from "../deps.js";
import { toUserView, type UserView } from "../accounts/user-view.js";
import { ChallengeNotFoundError } from "../errors.js";
import type { Account } from "../ports.js";
import { issueSession, type IssuedSession } from "../sessions/sessions.js";
import { sha256 } from "../shared/tokens.js";

export interface SecondFactorProof {
  factor: "totp" | "recovery_code" | "webauthn";
  /** The account as it is after the proof claimed what it used. */
  account: Account;
}

/**
 * The second step of every login, whatever the factor: find the live challenge, let `prove` check
 * (and claim) the factor, then consume the challenge and issue the session. A failed proof leaves
 * the challenge for another try; the first success consumes it (conditional delete), so one
 * challenge yields at most one session.
 */
export async function finishLogin(
  deps: Deps,
  challengeId: string,
  prove: (account: Account, challengeHash: string) => Promise<SecondFactorProof>,
  context: RequestContext,
): Promise<{ session: IssuedSession; user: UserView }> {
  const idHash = sha256(challengeId);
  const challenge = await deps.challenges.find(idHash, deps.clock.now());
  const account = challenge && (await deps.accounts.load(challenge.userId));
  if (!account) throw new ChallengeNotFoundError();

  const proof = await prove(account, idHash);
  if (!(await deps.challenges.consume(idHash))) throw new ChallengeNotFoundError();

  const session = await issueSession(deps, account.profile.id, proof.factor, context);
  return { session, user: toUserView(proof.account) };
}
