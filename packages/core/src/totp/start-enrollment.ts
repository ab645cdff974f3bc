import type { Deps, WithVault } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { TotpAlreadyEnabledError } from "../errors.js";
import type { Session } from "../ports.js";
import { requireRecentAuthentication } from "../sessions/recent-authentication.js";
import { newTotpSecret, otpauthUri, toBase32, totpContext } from "./totp-code.js";

export interface TotpEnrollment {
  secret: string;
  /** Shown as a QR code too; drawing it is the HTTP edge's job (an image is presentation, not domain). */
  otpauthUri: string;
}

/**
 * Starts (or restarts) enrollment: a new secret, sealed before it is stored. This is the only
 * answer that ever carries the secret.
 */
export async function startTotpEnrollment(
  deps: Pick<Deps, "accounts" | "factors" | "credentials" | "clock" | "policy"> & WithVault,
  session: Session,
): Promise<TotpEnrollment> {
  const userId = session.userId;
  const account = await loadAccount(deps, userId);
  if (account.totp?.status === "active") throw new TotpAlreadyEnabledError();
  requireRecentAuthentication(deps, session, account);
  const secret = newTotpSecret();
  await deps.factors.savePendingTotp(userId, await deps.vault.seal(secret, totpContext(userId)));

  const secretBase32 = toBase32(secret);
  const uri = otpauthUri({ issuer: deps.policy.totpIssuer, account: account.profile.email, secretBase32 });
  return { secret: secretBase32, otpauthUri: uri };
}
