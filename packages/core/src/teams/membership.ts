import type { DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import { LastOwnerError, MemberNotFoundError, TooManyTeamsError } from "../errors.js";
import { needsSetup } from "../fence/fence.js";
import type { FlagReason, Member, SecurityState, TeamEntry } from "../ports.js";
import { newEvent } from "../common/events.js";

/**
 * A membership has two sides: the user's (a `TeamEntry` on their FACTORS item, which every check
 * reads with their factors) and the team's (the member item that lists them, the history, the
 * counts). The user's side decides: a join writes it first, a removal ends it first, and the team's
 * side follows — in the same request, or, after a crash, from the event the decisive write owes
 * (functions/events/team-membership.ts). Whatever happens in between errs on the safe side: a
 * member the team does not list yet is held (`pending`); one whose side is gone is no member.
 */

type JoinDeps = Pick<Deps, "memberships" | "teams" | "clock" | "policy">;

/** Records the user's side of a new membership (the decision), owing `owed`; throws when they may not join. */
export async function recordJoin(
  deps: JoinDeps,
  member: Member,
  teamId: string,
  owed: readonly DomainEvent[],
): Promise<"joined" | "already_member"> {
  const result = await deps.memberships.join(member.userId, { teamId, role: member.role, joinedAt: member.joinedAt }, deps.policy.maxTeams, owed);
  if (result === "too_many_teams") throw new TooManyTeamsError(deps.policy.maxTeams);
  return result;
}

/**
 * The team's side of a join, then the team's enforcement written for the member: the team is read
 * after the member item exists, so a rollout that started before that read lists the member, and
 * one that starts after it is seen by the read. A member without a factor joining an enforcing
 * team is flagged at once. Idempotent: a repeat finds every write done.
 */
export async function completeJoin(deps: JoinDeps, teamId: string, member: Member, actor: string): Promise<SecurityState | undefined> {
  const team = await deps.teams.addMember(teamId, member);
  const { generation, enabled } = team.enforcement;
  return holdMember(deps, member, teamId, generation, enabled, "joined", actor);
}

/**
 * Writes the team's enforcement at `generation` for this membership and, when it holds a member
 * who has no factor, flags them once for that generation (owing MemberFlaggedForSetup, unless the
 * caller owes it elsewhere: `actor` undefined). Answers the member's state after; undefined when
 * the membership is gone, and a state whose entry carries a newer generation when a newer change
 * already stands for them. Given the member's state as `read` before, a member without a factor is
 * held and flagged in one write, conditioned on the factors being as read.
 */
export async function holdMember(
  deps: Pick<Deps, "memberships" | "clock">,
  member: Pick<Member, "userId" | "joinedAt">,
  teamId: string,
  generation: number,
  enforcing: boolean,
  reason: FlagReason,
  actor: string | undefined,
  read?: SecurityState,
): Promise<SecurityState | undefined> {
  const owed = () => (actor === undefined ? [] : [flaggedEvent(deps, member.userId, teamId, reason, actor)]);
  if (read && enforcing && !read.hasFactor) {
    const held = await deps.memberships.matchFlagged(member.userId, teamId, member.joinedAt, generation, reason, read.factorsVersion, owed());
    if (held) return held;
  }
  let state = await deps.memberships.match(member.userId, teamId, member.joinedAt, generation, enforcing);
  for (let attempt = 0; state && attempt < 3; attempt++) {
    const entry = entryOf(state, teamId);
    if (!entry || entry.generation !== generation || !entry.enforcing || entry.flaggedBy || !needsSetup(state)) break;
    if (await deps.memberships.flag(member.userId, teamId, member.joinedAt, generation, reason, state.factorsVersion, owed())) {
      return withEntry(state, { ...entry, flaggedBy: reason });
    }
    // The factors changed meanwhile (an activation): decide again.
    state = await deps.memberships.read(member.userId);
  }
  return state;
}

/**
 * Ends a membership: the last owner stays (a conditional decrement of the owners), then the
 * user's side goes — with, in the same write, a pending reset this team asked for — owing
 * TeamMemberRemoved; then the team's side. A member removed is released at once.
 */
export async function endMembership(
  deps: Pick<Deps, "memberships" | "teams" | "clock">,
  teamId: string,
  member: Member,
  actor: string,
  context: { ip?: string; userAgent?: string },
): Promise<void> {
  if (member.role === "owner" && !(await deps.teams.releaseOwner(teamId))) throw new LastOwnerError();
  const left = await leaveUserSide(deps, teamId, member, actor, context);
  if (left === "not_member" && member.role === "owner") await deps.teams.restoreOwner(teamId);
  // The team's side follows even when the user's side was already gone (a removal that crashed halfway).
  const removed = await deps.teams.removeMember(teamId, member, deps.clock.now());
  if (left === "not_member" && !removed) throw new MemberNotFoundError();
}

async function leaveUserSide(
  deps: Pick<Deps, "memberships" | "clock">,
  teamId: string,
  member: Member,
  actor: string,
  context: { ip?: string; userAgent?: string },
): Promise<"left" | "not_member"> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const state = await deps.memberships.read(member.userId);
    const reset = state.pendingReset?.teamId === teamId ? state.pendingReset : undefined;
    const now = deps.clock.now();
    const at = { ...context, now };
    const owed = [
      newEvent("TeamMemberRemoved", { userId: member.userId, teamId, role: member.role, actor }, at),
      ...(reset ? [newEvent("TwoFactorResetCancelled", { userId: member.userId, teamId, resetId: reset.id, reason: "left_team", actor }, at)] : []),
    ];
    const result = await deps.memberships.leave(member.userId, teamId, member.joinedAt, reset?.id, owed);
    if (result !== "reset_changed") return result;
  }
  throw new Error(`the pending reset of ${member.userId} kept changing while they left ${teamId}`);
}

/** The event a flag owes. */
export function flaggedEvent(deps: Pick<Deps, "clock">, userId: string, teamId: string, reason: FlagReason, actor: string): DomainEvent {
  return newEvent("MemberFlaggedForSetup", { userId, teamId, reason, actor }, { now: deps.clock.now() });
}

export function entryOf(state: Pick<SecurityState, "teams">, teamId: string): TeamEntry | undefined {
  return state.teams.find((team) => team.teamId === teamId);
}

function withEntry(state: SecurityState, entry: TeamEntry): SecurityState {
  return { ...state, teams: state.teams.map((team) => (team.teamId === entry.teamId ? entry : team)) };
}

/**
 * The consumer of TeamMemberAdded and TeamMemberRemoved: the team's side follows the user's, so a
 * join or a removal that crashed after its decisive write is finished here. Idempotent: a
 * membership already complete (or already gone on both sides) changes nothing.
 */
export async function finishMembershipChange(deps: Pick<Deps, "memberships" | "teams" | "accounts" | "clock" | "policy">, event: DomainEvent): Promise<void> {
  if (event.detailType !== "TeamMemberAdded" && event.detailType !== "TeamMemberRemoved") return;
  const { userId, teamId, actor } = event.detail;
  const [state, listed] = await Promise.all([deps.memberships.read(userId), deps.teams.member(teamId, userId)]);
  const entry = entryOf(state, teamId);
  if (entry) {
    if (listed?.joinedAt === entry.joinedAt && !entry.pending) return;
    const [profile] = await deps.accounts.profiles([userId]);
    if (profile) await completeJoin(deps, teamId, { userId, email: profile.email, role: entry.role, joinedAt: entry.joinedAt }, actor);
  } else if (listed) {
    await deps.teams.removeMember(teamId, listed, deps.clock.now());
  }
}
