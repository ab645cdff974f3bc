import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { factorCount } from "../accounts/user-view.js";
import { SecurityKeyNotFoundError } from "../errors.js";
import { afterFactorRemoved } from "../second-factor/factor-removed.js";
import { newEvent } from "../shared/events.js";
import { findKey } from "./security-key-view.js";

/**
 * Removes one of the user's keys. The key's item is updated into a tombstone that owes
 * SecurityKeyRemoved (and TwoFactorDisabled when it was the last factor) in that same write: items
 * that owe events are never deleted. With no factor left the recovery codes go too, as for TOTP.
 */
export async function removeSecurityKey(
  deps: Pick<Deps, "accounts" | "securityKeys" | "recoveryCodes" | "clock">,
  userId: string,
  keyId: string,
  context: RequestContext,
): Promise<void> {
  const account = await loadAccount(deps, userId);
  const key = findKey(account.securityKeys, keyId);
  if (!key) throw new SecurityKeyNotFoundError();

  const now = deps.clock.now();
  const lastFactor = factorCount(account) === 1;
  const owed = [
    newEvent("SecurityKeyRemoved", { userId, keyId: key.id, name: key.name }, { ...context, now }),
    ...(lastFactor ? [newEvent("TwoFactorDisabled", { userId, method: "webauthn" }, { ...context, now })] : []),
  ];
  if (!(await deps.securityKeys.remove(userId, key.id, now, owed))) throw new SecurityKeyNotFoundError();
  await afterFactorRemoved(deps, userId, "webauthn", lastFactor, context);
}
