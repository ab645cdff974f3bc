import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { InvalidAssertionError } from "../errors.js";
import { assertNotLocked, recordFailure, recordSuccess } from "../lockout/lockout.js";
import type { Account, SecurityKey } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { challengeKey, signedChallenge } from "./client-data.js";

type ProofDeps = Pick<Deps, "attempts" | "clock" | "policy" | "securityKeys" | "webauthnChallenges">;

/**
 * Checks an assertion for a login challenge, the security-key sibling of `proveSecondFactor`:
 * refused while the second factor is locked; the key must be one of this account's, the signed
 * challenge one issued for this login challenge, the signature valid. Then, each a conditional
 * write: the WebAuthn challenge is consumed (a replay loses), and the signature counter must rise.
 *
 * WebAuthn §6.1.1: a counter not greater than the stored one, when either is non-zero, "is a signal
 * that the authenticator may be cloned": refused and reported. The library would refuse it too, but
 * before checking the signature; we compare only after a valid signature, so nobody can forge a clone
 * report. Authenticators that always answer 0 keep working. Every refusal counts toward the lock.
 */
export async function proveSecurityKey(
  deps: ProofDeps,
  account: Account,
  response: AuthenticationResponseJSON,
  loginChallengeHash: string,
  context: RequestContext,
): Promise<Account> {
  const now = deps.clock.now();
  assertNotLocked(account, "second_factor", now);
  const userId = account.profile.id;
  const refuse = async (): Promise<never> => {
    await recordFailure(deps, userId, "second_factor", "webauthn", context);
    throw new InvalidAssertionError();
  };

  const key = account.securityKeys.find((candidate) => candidate.id === response.id);
  const challenge = signedChallenge(response.response.clientDataJSON);
  if (!key || !challenge) return refuse();
  const challengeHash = challengeKey(challenge);
  const stored = await deps.webauthnChallenges.find(challengeHash, now);
  if (stored?.ceremony !== "authentication" || stored.userId !== userId || stored.loginChallengeHash !== loginChallengeHash) {
    return refuse();
  }

  const presented = await verifiedCounter(deps.policy.relyingParty, key, response, challenge);
  if (presented === undefined) return refuse();
  if ((presented > 0 || key.counter > 0) && presented <= key.counter) {
    const report = newEvent("SecurityKeyCloneDetected", {
      userId, keyId: key.id, storedCounter: key.counter, presentedCounter: presented,
    }, { ...context, now });
    await deps.securityKeys.reportClone(userId, key.id, now, [report]);
    return refuse();
  }
  if (!(await deps.webauthnChallenges.consume(challengeHash))) return refuse();
  if (!(await deps.securityKeys.recordUse(userId, key.id, presented, now))) return refuse();

  await recordSuccess(deps, account, "second_factor");
  const used = { ...key, counter: presented, lastUsedAt: now.toISOString() };
  return { ...account, securityKeys: account.securityKeys.map((k) => (k.id === key.id ? used : k)) };
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
