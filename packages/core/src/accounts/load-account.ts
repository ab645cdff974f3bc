import type { Deps } from "../deps.js";
import { UnauthenticatedError } from "../errors.js";
import type { Account } from "../ports.js";

/** The signed-in user's account; a session whose user is gone is no session. */
export async function loadAccount(deps: Pick<Deps, "accounts">, userId: string): Promise<Account> {
  const account = await deps.accounts.load(userId);
  if (!account) throw new UnauthenticatedError();
  return account;
}
