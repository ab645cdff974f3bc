import type { Deps } from "../deps.js";
import { UnauthenticatedError } from "../errors.js";
import { resetTakenEffect } from "../fence/fence.js";
import type { Account } from "../ports.js";
import { takeResetIntoEffect } from "../teams/reset-effect.js";

export type AccountDeps = Pick<Deps, "accounts" | "factors" | "credentials" | "clock">;

/**
 * The user's account as it is now. A reset whose time has come is written first (once, whoever
 * gets there: this read or the timers' sweep), so that every decision works on the factors as they
 * are, not as they were.
 */
export async function readAccount(deps: AccountDeps, userId: string): Promise<Account | undefined> {
  const account = await deps.accounts.load(userId);
  if (!account || !resetTakenEffect(account, deps.clock.now())) return account;
  await takeResetIntoEffect(deps, account);
  return deps.accounts.load(userId);
}

/** The signed-in user's account; a session whose user is gone is no session. */
export async function loadAccount(deps: AccountDeps, userId: string): Promise<Account> {
  const account = await readAccount(deps, userId);
  if (!account) throw new UnauthenticatedError();
  return account;
}
