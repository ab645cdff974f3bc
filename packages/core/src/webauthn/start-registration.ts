import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { Deps } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { TooManySecurityKeysError } from "../errors.js";
import type { Session } from "../ports.js";
import { requireRecentAuthentication } from "../sessions/recent-authentication.js";
import { addSeconds } from "../common/time.js";
import { challengeKey } from "./client-data.js";

/**
 * Options for `navigator.credentials.create()`. Attestation `none` (we trust no vendor list, and
 * asking for attestation makes browsers show an extra prompt); user verification `preferred`, so
 * PIN-less and U2F keys work as a second factor; no resident key needed (it would spend one of the
 * key's few discoverable slots on a factor that never signs in alone). The user's keys are excluded,
 * so the browser refuses to register one twice. The challenge is stored (by hash) for 5 minutes.
 */
export async function startSecurityKeyRegistration(
  deps: Pick<Deps, "accounts" | "factors" | "credentials" | "webauthnChallenges" | "clock" | "policy">,
  session: Session,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON }> {
  const userId = session.userId;
  const account = await loadAccount(deps, userId);
  if (account.securityKeys.length >= deps.policy.maxSecurityKeys) throw new TooManySecurityKeysError(deps.policy.maxSecurityKeys);
  requireRecentAuthentication(deps, session, account);

  const { relyingParty, challengeTtlSeconds } = deps.policy;
  const options = await generateRegistrationOptions({
    rpName: relyingParty.name,
    rpID: relyingParty.id,
    userName: account.profile.email,
    userDisplayName: account.profile.name,
    userID: new TextEncoder().encode(account.profile.id),
    timeout: challengeTtlSeconds * 1000,
    attestationType: "none",
    excludeCredentials: account.securityKeys.map((key) => ({ id: key.id, transports: key.transports })),
    authenticatorSelection: { residentKey: "discouraged", userVerification: "preferred" },
  });
  const now = deps.clock.now();
  await deps.webauthnChallenges.create({
    challengeHash: challengeKey(options.challenge),
    ceremony: "registration",
    userId,
    expiresAt: addSeconds(now, challengeTtlSeconds).toISOString(),
  });
  return { options };
}
