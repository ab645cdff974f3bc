import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { MemberNotFoundError } from "../errors.js";
import { applyUnproven } from "../second-factor/prove-and-apply.js";
import { newEvent } from "../shared/events.js";
import { authorize } from "./authorization.js";
import { notSelf } from "./manage-team.js";

/**
 * An admin's reset of a member who lost their phone (API.md, Teams): admins reset members and
 * auditors, owners anyone, nobody themselves. The member's sessions end first, then their app,
 * keys and recovery codes go in one write owing TwoFactorReset (and MemberFlaggedForSetup for each
 * team that enforces 2FA on them: their holds stay, so the next login answers `setup_required`).
 * A crash between the two leaves the factors in place and the member signed out: the retry
 * completes it. The keys' credential claims are freed last, as when a key is removed.
 *
 * Trusted devices (issue 8) must also be forgotten here once they exist: the reset is a factor
 * change, and every factor change forgets all the user's devices.
 */
export async function resetMemberTwoFactor(deps: Deps, userId: string, teamId: string, targetId: string, context: RequestContext): Promise<void> {
  const caller = authorize(await deps.teams.member(teamId, userId), "reset_two_factor");
  const target = await deps.teams.member(teamId, targetId);
  if (!target) throw new MemberNotFoundError();
  notSelf(userId, targetId);
  authorize(caller, "reset_two_factor", target.role);

  const now = deps.clock.now();
  await Promise.all((await deps.sessions.listLive(targetId, now)).map((s) => deps.sessions.revoke(s, now)));
  const account = await loadAccount(deps, targetId);
  const keyIds = account.securityKeys.map((k) => k.id);
  const at = { ...context, now };
  await applyUnproven(deps, account, { kind: "reset_all", keyIds }, [
    newEvent("TwoFactorReset", {
      userId: targetId, teamId, actor: userId, securityKeysRemoved: keyIds.length, totpRemoved: account.totp?.status === "active",
    }, at),
    ...account.enforcedBy.map((enforcing) => newEvent("MemberFlaggedForSetup", { userId: targetId, teamId: enforcing, reason: "reset", actor: userId }, at)),
  ]);
  await Promise.all(keyIds.map((id) => deps.credentials.release(id, targetId)));
}
