import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import type { Account, Claim, SecurityKey, WebAuthnCeremony } from "../ports.js";
import type { Presented } from "../second-factor/prove-and-apply.js";
import { newEvent } from "../common/events.js";
import { challengeKey, signedChallenge } from "./client-data.js";

type AssertionDeps = Pick<Deps, "clock" | "policy" | "factors" | "webauthnChallenges">;

/**
 * A security-key assertion as a presented factor. Right when: the key is one of this account's,
 * the signed challenge is one issued for this `ceremony` and `boundTo` (the login challenge, or the
 * session being reauthenticated), the signature verifies, and the challenge is consumed now
 * (conditional delete: a replayed response loses). Its claim is the new signature counter, which
 * the factors' write accepts only if it rises (or stays 0 for an authenticator that keeps none).
 *
 * WebAuthn §6.1.1: a counter not greater than the stored one, when either is non-zero, "is a signal
 * that the authenticator may be cloned": refused (a counted failure) and reported. The library
 * would refuse it too, but before checking the signature; we compare only after a valid signature,
 * so nobody can forge a clone report.
 */
export function presentedAssertion(
  deps: AssertionDeps,
  account: Account,
  response: AuthenticationResponseJSON,
  expected: { ceremony: Exclude<WebAuthnCeremony, "registration">; boundTo: string },
  context: RequestContext,
): Presented {
  const userId = account.profile.id;
  return {
    method: "webauthn",
    async verify(): Promise<Claim | undefined> {
      const now = deps.clock.now();
      // A key suspected of being cloned signs nothing in until its owner removes it.
      const key = account.securityKeys.find((candidate) => candidate.id === response.id && !candidate.cloneDetectedAt);
      const challenge = signedChallenge(response.response.clientDataJSON);
      if (!key || !challenge) return undefined;
      const challengeHash = challengeKey(challenge);
      const stored = await deps.webauthnChallenges.find(challengeHash, now);
      if (stored?.ceremony !== expected.ceremony || stored.userId !== userId || stored.boundTo !== expected.boundTo) return undefined;
      const presented = await verifiedCounter(deps.policy.relyingParty, key, response, challenge);
      if (presented === undefined) return undefined;
      if ((presented > 0 || key.counter > 0) && presented <= key.counter) {
        const report = newEvent("SecurityKeyCloneDetected", {
          userId, keyId: key.id, storedCounter: key.counter, presentedCounter: presented,
        }, { ...context, now });
        await deps.factors.reportClone(userId, key.id, now, [report]);
        return undefined;
      }
      if (!(await deps.webauthnChallenges.consume(challengeHash))) return undefined;
      return { kind: "key_counter", keyId: key.id, counter: presented };
    },
  };
}

/** The assertion's counter if its signature, challenge, origin and RP ID verify; undefined otherwise. */
async function verifiedCounter(
  relyingParty: Deps["policy"]["relyingParty"],
  key: SecurityKey,
  response: AuthenticationResponseJSON,
  challenge: string,
): Promise<number | undefined> {
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: relyingParty.origins,
      expectedRPID: relyingParty.id,
      // Counter 0 here: the clone check is ours, after the signature (see above).
      credential: { id: key.id, publicKey: Buffer.from(key.publicKey, "base64url"), counter: 0, transports: key.transports },
      requireUserVerification: false,
    });
    return result.verified ? result.authenticationInfo.newCounter : undefined;
  } catch {
    return undefined;
  }
}
