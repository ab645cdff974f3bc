import type { Deps } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { SecurityKeyNotFoundError } from "../errors.js";
import { findKey, toSecurityKeyView, type SecurityKeyView } from "./security-key-view.js";

/** Renames one of the user's keys; another user's key is not found. */
export async function renameSecurityKey(
  deps: Pick<Deps, "accounts" | "factors" | "credentials" | "clock">,
  userId: string,
  keyId: string,
  name: string,
): Promise<{ key: SecurityKeyView }> {
  const account = await loadAccount(deps, userId);
  const renamed = findKey(account.securityKeys, keyId) && (await deps.factors.renameKey(userId, keyId, name));
  if (!renamed) throw new SecurityKeyNotFoundError();
  return { key: toSecurityKeyView(renamed) };
}
