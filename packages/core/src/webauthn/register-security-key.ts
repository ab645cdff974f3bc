import { verifyRegistrationResponse, type RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import { CredentialAlreadyRegisteredError, InvalidRegistrationError, TooManySecurityKeysError } from "../errors.js";
import type { SecurityKey, Session } from "../ports.js";
import { newRecoverySet } from "../recovery/new-recovery-set.js";
import { sessionProvedFactor } from "../second-factor/session-proved-factor.js";
import { applyUnproven } from "../second-factor/prove-and-apply.js";
import { requireRecentAuthentication } from "../sessions/recent-authentication.js";
import { newEvent } from "../common/events.js";
import { challengeKey, signedChallenge } from "./client-data.js";
import { toSecurityKeyView, type SecurityKeyView } from "./security-key-view.js";

export interface RegisteredSecurityKey {
  key: SecurityKeyView;
  /** Only when this key turned 2FA on: a fresh set, shown this once (as after activating TOTP). */
  recoveryCodes?: string[];
}

/**
 * Verifies a registration response against a challenge this user was given and consumes the
 * challenge (conditional delete: a replayed response loses). The credential id is then claimed
 * across all accounts (WebAuthn §7.1 step 22): DynamoDB has no atomic write across two items (and
 * no transactions here), so the claim comes first and is idempotent for its owner — a crash after
 * it leaves a claim only this user can complete. The key, the events it owes and, for a first
 * factor, the recovery set are then one write, conditioned on the factors as read.
 */
export async function registerSecurityKey(
  deps: Deps,
  session: Session,
  input: { name: string; response: RegistrationResponseJSON },
  context: RequestContext,
): Promise<RegisteredSecurityKey> {
  const userId = session.userId;
  const account = await loadAccount(deps, userId);
  requireRecentAuthentication(deps, session, account);
  const { relyingParty, maxSecurityKeys } = deps.policy;
  if (account.securityKeys.length >= maxSecurityKeys) throw new TooManySecurityKeysError(maxSecurityKeys);
  const now = deps.clock.now();
  const challenge = signedChallenge(input.response.response.clientDataJSON);
  const challengeHash = challenge && challengeKey(challenge);
  const stored = challengeHash ? await deps.webauthnChallenges.find(challengeHash, now) : undefined;
  if (!challenge || !challengeHash || stored?.ceremony !== "registration" || stored.userId !== userId) {
    throw new InvalidRegistrationError();
  }
  const verification = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: challenge,
    expectedOrigin: relyingParty.origins,
    expectedRPID: relyingParty.id,
    // Verification is `preferred`: U2F and PIN-less keys are a second factor, presence is still required.
    requireUserVerification: false,
  }).catch(() => undefined);
  if (!verification?.verified) throw new InvalidRegistrationError();
  if (!(await deps.webauthnChallenges.consume(challengeHash))) throw new InvalidRegistrationError();
  const { credential, aaguid, credentialBackedUp } = verification.registrationInfo;
  if (account.securityKeys.some((k) => k.id === credential.id) || !(await deps.credentials.claim(credential.id, userId))) {
    throw new CredentialAlreadyRegisteredError();
  }
  const key: SecurityKey = {
    id: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: (credential.transports ?? []).slice(0, 8),
    aaguid,
    backedUp: credentialBackedUp,
    name: input.name,
    createdAt: now.toISOString(),
    lastUsedAt: null,
  };
  const firstFactor = !twoFactorEnabled(account);
  const recovery = firstFactor ? newRecoverySet(userId) : undefined;
  const at = { ...context, now };
  await applyUnproven(deps, account, { kind: "add_key", key, ...(recovery ? { recoveryCodeHashes: recovery.hashes } : {}) }, [
    newEvent("SecurityKeyRegistered", { userId, keyId: key.id, name: key.name, aaguid, transports: key.transports, backedUp: key.backedUp }, at),
    ...(firstFactor ? [newEvent("TwoFactorEnabled", { userId, method: "webauthn" }, at)] : []),
  ], firstFactor ? session.tokenHash : undefined);
  await sessionProvedFactor(deps, session, account, firstFactor, now);
  return { key: toSecurityKeyView(key), ...(recovery ? { recoveryCodes: recovery.codes } : {}) };
}
