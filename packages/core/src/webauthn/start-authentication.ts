import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Deps } from "../deps.js";
import { ChallengeNotFoundError, NoSecurityKeysError } from "../errors.js";
import { assertNotLocked } from "../lockout/lockout.js";
import { addSeconds } from "../shared/time.js";
import { sha256 } from "../shared/tokens.js";
import { challengeKey } from "./client-data.js";

/**
 * Options for `navigator.credentials.get()` on a login challenge: the user's keys only, user
 * verification `preferred`. The WebAuthn challenge is bound to this login challenge and its user,
 * and lives no longer than either. A locked second factor is refused here already.
 */
export async function startWebAuthnChallenge(
  deps: Pick<Deps, "accounts" | "challenges" | "webauthnChallenges" | "clock" | "policy">,
  challengeId: string,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
  const now = deps.clock.now();
  const loginChallengeHash = sha256(challengeId);
  const login = await deps.challenges.find(loginChallengeHash, now);
  const account = login && (await deps.accounts.load(login.userId));
  if (!login || !account) throw new ChallengeNotFoundError();
  assertNotLocked(account, "second_factor", now);
  if (account.securityKeys.length === 0) throw new NoSecurityKeysError();

  const { relyingParty, challengeTtlSeconds } = deps.policy;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty.id,
    allowCredentials: account.securityKeys.map((key) => ({ id: key.id, transports: key.transports })),
    userVerification: "preferred",
    timeout: challengeTtlSeconds * 1000,
  });
  const expiresAt = new Date(Math.min(addSeconds(now, challengeTtlSeconds).getTime(), new Date(login.expiresAt).getTime()));
  await deps.webauthnChallenges.create({
    challengeHash: challengeKey(options.challenge),
    ceremony: "authentication",
    userId: account.profile.id,
    loginChallengeHash,
    expiresAt: expiresAt.toISOString(),
  });
  return { options };
}
