import { loadAccount, type AccountDeps } from "../accounts/load-account.js";
import { toSecurityKeyView, type SecurityKeyView } from "./security-key-view.js";

/** The user's own keys, oldest first. At most `maxSecurityKeys`, so one page always holds them all. */
export async function listSecurityKeys(
  deps: AccountDeps,
  userId: string,
): Promise<{ items: SecurityKeyView[]; nextCursor: null }> {
  const account = await loadAccount(deps, userId);
  return { items: account.securityKeys.map(toSecurityKeyView), nextCursor: null };
}
