import type { Deps, RequestContext } from "../deps.js";
import { readAccount } from "../accounts/load-account.js";
import { MemberNotFoundError, ResetPendingError } from "../errors.js";
import { resetTakenEffect } from "../fence/fence.js";
import type { PendingReset } from "../ports.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import { newEvent } from "../common/events.js";
import { addSeconds } from "../common/time.js";
import { newId } from "../common/tokens.js";
import { authorize, callerMay } from "./authorization.js";
import { notSelf } from "./manage-team.js";
import { takeResetIntoEffect } from "./reset-effect.js";
import { requirePrivilege } from "./privileged.js";

export interface ResetView {
  userId: string;
  teamId: string;
  requestedBy: string;
  requestedAt: string;
  effectiveAt: string;
}

/**
 * `POST /v1/teams/{teamId}/members/{userId}/two-factor-reset` (a lost phone; a privileged action).
 * Nothing is removed now: the reset takes effect TEAM_RESET_DELAY_SECONDS later, and until then the
 * member signs in as before and cancels it by proving any second factor — whoever can still do that
 * has not lost it. The member hears of it at once (TwoFactorResetRequested). Admins reset members
 * and auditors, owners anyone, nobody themselves; one reset at a time per member.
 */
export async function requestMemberReset(
  deps: Deps,
  session: AuthenticatedSession,
  teamId: string,
  targetId: string,
  context: RequestContext,
): Promise<ResetView> {
  const caller = await callerMay(deps, session, teamId, "reset_two_factor");
  const target = await deps.teams.member(teamId, targetId);
  if (!target) throw new MemberNotFoundError();
  notSelf(session.userId, targetId);
  authorize(caller, "reset_two_factor", target.role);
  requirePrivilege(deps, session);

  // A reset whose time has come but that nothing has written yet is written first.
  if (!(await readAccount(deps, targetId))) throw new MemberNotFoundError();
  const now = deps.clock.now();
  const reset: PendingReset = {
    id: newId("rst"), teamId, joinedAt: target.joinedAt, requestedBy: session.userId,
    requestedAt: now.toISOString(), effectiveAt: addSeconds(now, deps.policy.teamResetDelaySeconds).toISOString(),
  };
  // The timer first: a timer whose reset was never stored finds nothing to do when it comes due.
  await deps.resetTimers.schedule({ userId: targetId, resetId: reset.id, effectiveAt: reset.effectiveAt });
  const result = await deps.factors.requestReset(targetId, reset, [newEvent("TwoFactorResetRequested", {
    userId: targetId, teamId, resetId: reset.id, effectiveAt: reset.effectiveAt, actor: session.userId,
  }, { ...context, now })]);
  if (result === "pending") throw new ResetPendingError();
  if (result === "not_member") throw new MemberNotFoundError();
  const { id: _id, joinedAt: _joinedAt, ...view } = reset;
  return { userId: targetId, ...view };
}

/**
 * The timers' sweep: every reset whose time has come is written, even for a member who never comes
 * back, so that TwoFactorReset is told when it happens. A timer whose reset was cancelled (or
 * replaced) finds nothing to do and goes.
 */
export async function takeDueResetsIntoEffect(deps: Deps, limit = 100): Promise<number> {
  let applied = 0;
  const now = deps.clock.now();
  for (const due of await deps.resetTimers.due(now, limit)) {
    const account = await deps.accounts.load(due.userId);
    const reset = account?.pendingReset?.id === due.resetId ? account.pendingReset : undefined;
    if (account && reset && new Date(reset.effectiveAt) > now) continue;
    if (account && reset && resetTakenEffect(account, now)) {
      // Lost to a concurrent change of the factors: the next sweep reads them again.
      if (!(await takeResetIntoEffect(deps, account))) continue;
      applied++;
    }
    await deps.resetTimers.done(due);
  }
  return applied;
}
