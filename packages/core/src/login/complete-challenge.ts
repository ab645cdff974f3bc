import type { Deps, RequestContext } from "../deps.js";
import { toUserView, type UserView } from "../accounts/user-view.js";
import { ChallengeNotFoundError } from "../errors.js";
import { proveSecondFactor, type CodeFactor } from "../second-factor/prove-second-factor.js";
import { issueSession, type IssuedSession } from "../sessions/sessions.js";
import { sha256 } from "../shared/tokens.js";

/**
 * Second factor of a login. A failed attempt leaves the challenge for another try; the first
 * success consumes it (conditional delete), so one challenge yields at most one session.
 */
export async function completeChallenge(
  deps: Deps,
  input: { challengeId: string; factor: CodeFactor; code: string },
  context: RequestContext,
): Promise<{ session: IssuedSession; user: UserView }> {
  const idHash = sha256(input.challengeId);
  const challenge = await deps.challenges.find(idHash, deps.clock.now());
  const account = challenge && (await deps.accounts.load(challenge.userId));
  if (!account) throw new ChallengeNotFoundError();

  const proof = await proveSecondFactor(deps, account, input.code, [input.factor], "login", context);
  if (!(await deps.challenges.consume(idHash))) throw new ChallengeNotFoundError();

  const session = await issueSession(deps, account.profile.id, proof.factor, context);
  return { session, user: toUserView(proof.account) };
}
