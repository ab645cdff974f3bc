import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { factorCount } from "../accounts/user-view.js";
import { EnforcedByTeamError, SecurityKeyNotFoundError } from "../errors.js";
import type { Session } from "../ports.js";
import { applyUnproven } from "../second-factor/prove-and-apply.js";
import { requireRecentAuthentication } from "../sessions/recent-authentication.js";
import { newEvent } from "../common/events.js";
import { findKey } from "./security-key-view.js";

/**
 * Removes one of the user's keys (recent authentication required). The removal and the events it
 * owes (SecurityKeyRemoved, and TwoFactorDisabled with the recovery codes cleared when it was the
 * last factor) are one write conditioned on the factors as read. The credential's claim is freed
 * after; a crash between leaves it claimed by this user, who may register it again.
 */
export async function removeSecurityKey(
  deps: Deps,
  session: Session,
  keyId: string,
  context: RequestContext,
): Promise<void> {
  const userId = session.userId;
  const account = await loadAccount(deps, userId);
  requireRecentAuthentication(deps, session, account);
  const key = findKey(account.securityKeys, keyId);
  if (!key) throw new SecurityKeyNotFoundError();
  const now = deps.clock.now();
  const lastFactor = factorCount(account) === 1;
  // Decided before any code is checked: nothing is used up by a refusal.
  if (lastFactor && account.enforcedBy.length > 0) throw new EnforcedByTeamError();
  await applyUnproven(deps, account, { kind: "remove_key", keyId: key.id, clearRecoveryCodes: lastFactor }, [
    newEvent("SecurityKeyRemoved", { userId, keyId: key.id, name: key.name }, { ...context, now }),
    ...(lastFactor ? [newEvent("TwoFactorDisabled", { userId, method: "webauthn" }, { ...context, now })] : []),
  ]);
  await deps.credentials.release(key.id, userId);
}
