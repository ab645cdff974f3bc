import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { toUserView, type UserView } from "../accounts/user-view.js";
import { ChallengeNotFoundError } from "../errors.js";
import { issueSession, type IssuedSession } from "../sessions/sessions.js";
import { sha256 } from "../shared/tokens.js";
import { proveSecurityKey } from "../webauthn/prove-security-key.js";

/**
 * Second factor of a login by security key. As with codes, a refused assertion leaves the login
 * challenge for another try and the first success consumes it (conditional delete).
 */
export async function completeWebAuthnChallenge(
  deps: Deps,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  context: RequestContext,
): Promise<{ session: IssuedSession; user: UserView }> {
  const idHash = sha256(input.challengeId);
  const challenge = await deps.challenges.find(idHash, deps.clock.now());
  const account = challenge && (await deps.accounts.load(challenge.userId));
  if (!account) throw new ChallengeNotFoundError();

  const proven = await proveSecurityKey(deps, account, input.response, idHash, context);
  if (!(await deps.challenges.consume(idHash))) throw new ChallengeNotFoundError();

  const session = await issueSession(deps, account.profile.id, "webauthn", context);
  return { session, user: toUserView(proven) };
}
