import type { DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import { resetTakenEffect } from "../fence/fence.js";
import type { Account } from "../ports.js";
import { newEvent } from "../common/events.js";

/**
 * Writes a reset whose time has come, exactly as reading it already treats it: the app, the keys,
 * the recovery set and the login challenges go, and the epoch and the factors version move — so the
 * member's sessions and trusted devices are dead, and their next login asks them to set up again
 * where a team enforces 2FA. Once, whoever gets there first (a request that reads the account, or
 * the timers' sweep): the write is conditioned on the reset and the factors as read, and owes
 * TwoFactorReset. The keys' credential ids are freed after, as when a key is removed.
 */
export async function takeResetIntoEffect(deps: Pick<Deps, "factors" | "credentials" | "clock">, account: Account): Promise<boolean> {
  const now = deps.clock.now();
  const reset = resetTakenEffect(account, now);
  if (!reset) return false;
  const userId = account.profile.id;
  const keyIds = account.securityKeys.map((key) => key.id);
  const at = { now };
  const owed: DomainEvent[] = [
    newEvent("TwoFactorReset", {
      userId, teamId: reset.teamId, resetId: reset.id, actor: reset.requestedBy,
      securityKeysRemoved: keyIds.length, totpRemoved: account.totp?.status === "active",
    }, at),
    ...account.teams
      .filter((team) => team.enforcing)
      .map((team) => newEvent("MemberFlaggedForSetup", { userId, teamId: team.teamId, reason: "reset", actor: reset.requestedBy }, at)),
  ];
  const target = {
    reset, factorsVersion: account.factorsVersion, epoch: account.epoch, keyIds,
    challengeHashes: account.challenges.map((challenge) => challenge.idHash),
  };
  if (!(await deps.factors.takeEffect(userId, target, now, owed))) return false;
  await Promise.all(keyIds.map((id) => deps.credentials.release(id, userId)));
  return true;
}
