import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Deps } from "../deps.js";
import { NoSecurityKeysError } from "../errors.js";
import type { Account, WebAuthnCeremony } from "../ports.js";
import { addSeconds } from "../common/time.js";
import { challengeKey } from "./client-data.js";

/**
 * Options for `navigator.credentials.get()`: the user's keys only, user verification `preferred`.
 * The WebAuthn challenge is bound to what it answers (`boundTo`) and its user, and lives no longer
 * than `notAfter`.
 */
export async function assertionOptions(
  deps: Pick<Deps, "webauthnChallenges" | "clock" | "policy">,
  account: Account,
  bound: { ceremony: Exclude<WebAuthnCeremony, "registration">; boundTo: string; notAfter?: Date },
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
  if (account.securityKeys.length === 0) throw new NoSecurityKeysError();
  const { relyingParty, challengeTtlSeconds } = deps.policy;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty.id,
    allowCredentials: account.securityKeys.map((key) => ({ id: key.id, transports: key.transports })),
    userVerification: "preferred",
    timeout: challengeTtlSeconds * 1000,
  });
  const ttlEnd = addSeconds(deps.clock.now(), challengeTtlSeconds);
  const expiresAt = bound.notAfter && bound.notAfter < ttlEnd ? bound.notAfter : ttlEnd;
  await deps.webauthnChallenges.create({
    challengeHash: challengeKey(options.challenge),
    ceremony: bound.ceremony,
    userId: account.profile.id,
    boundTo: bound.boundTo,
    expiresAt: expiresAt.toISOString(),
  });
  return { options };
}
