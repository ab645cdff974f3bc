import { verifyRegistrationResponse, type RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { twoFactorEnabled } from "../accounts/user-view.js";
import {
  InvalidRegistrationError, SecurityKeyAlreadyRegisteredError, TooManySecurityKeysError,
} from "../errors.js";
import type { SecurityKey } from "../ports.js";
import { issueRecoveryCodes } from "../recovery/issue-recovery-codes.js";
import { newEvent } from "../shared/events.js";
import { challengeKey, signedChallenge } from "./client-data.js";
import { toSecurityKeyView, type SecurityKeyView } from "./security-key-view.js";

export interface RegisteredSecurityKey {
  key: SecurityKeyView;
  /** Only when this key turned 2FA on: a fresh set, shown this once (as after activating TOTP). */
  recoveryCodes?: string[];
}

/**
 * Verifies a registration response against a challenge this user was given, consumes the challenge
 * (conditional delete: a replayed response loses), and stores the key with the events it owes in the
 * same write: SecurityKeyRegistered, and TwoFactorEnabled when it is the user's first factor. A first
 * factor also gets recovery codes, issued after the key is stored, like `activateTotp`.
 */
export async function registerSecurityKey(
  deps: Deps,
  userId: string,
  input: { name: string; response: RegistrationResponseJSON },
  context: RequestContext,
): Promise<RegisteredSecurityKey> {
  const account = await loadAccount(deps, userId);
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
  const at = { ...context, now };
  const owed = [
    newEvent("SecurityKeyRegistered", { userId, keyId: key.id, name: key.name, aaguid, transports: key.transports, backedUp: key.backedUp }, at),
    ...(firstFactor ? [newEvent("TwoFactorEnabled", { userId, method: "webauthn" }, at)] : []),
  ];
  if (!(await deps.securityKeys.add(userId, key, owed))) throw new SecurityKeyAlreadyRegisteredError();

  if (!firstFactor) return { key: toSecurityKeyView(key) };
  return { key: toSecurityKeyView(key), recoveryCodes: await issueRecoveryCodes(deps, userId, []) };
}
