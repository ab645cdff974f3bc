import type { Deps } from "../deps.js";
import type { Account, Session } from "../ports.js";

/**
 * This session has just stored a factor it proved (an activation, a key's registration): it is
 * recently authenticated from now. When that factor turned 2FA on, the epoch moved with it and kept
 * only this session (the write's `turnsOnFor`); it now lives under the new epoch.
 */
export async function sessionProvedFactor(deps: Pick<Deps, "sessions">, session: Session, account: Pick<Account, "epoch">, turnedOn: boolean, at: Date): Promise<void> {
  await deps.sessions.markSecondFactor(session, at, turnedOn ? account.epoch + 1 : account.epoch);
}
