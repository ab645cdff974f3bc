import type { Deps, RequestContext } from "../deps.js";
import { MemberNotFoundError, TeamForbiddenError, TeamNotFoundError } from "../errors.js";
import type { Member, Page, PageRequest, Team } from "../ports.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import { newEvent } from "../common/events.js";
import { newId } from "../common/tokens.js";
import { authorize, callerMay } from "./authorization.js";
import { endMembership, recordJoin } from "./membership.js";
import { requirePrivilege } from "./privileged.js";
import { toMemberView, toTeamView, type MemberView, type TeamView } from "./views.js";

/**
 * `POST /v1/teams`: the caller becomes its owner. Creating a team counts as one of the caller's
 * teams, so the user's side is written first, under the cap; a crash before the team's own write
 * leaves a slot taken by a team that does not exist (the safe side of the cap), nothing else.
 */
export async function createTeam(deps: Deps, session: AuthenticatedSession, name: string, context: RequestContext): Promise<TeamView> {
  const [profile] = await deps.accounts.profiles([session.userId]);
  if (!profile) throw new TeamNotFoundError();
  const now = deps.clock.now();
  const team = { id: newId("team"), name, createdAt: now.toISOString() };
  const owner: Member = { userId: session.userId, email: profile.email, role: "owner", joinedAt: team.createdAt };
  await recordJoin(deps, owner, team.id, []);
  // A new team enforces nothing: the owner's side is matched with generation 0 at once.
  await deps.memberships.match(owner.userId, team.id, owner.joinedAt, 0, false);
  const at = { ...context, now };
  await deps.teams.create(team, owner, [
    newEvent("TeamCreated", { teamId: team.id, name, actor: session.userId }, at),
    newEvent("TeamMemberAdded", { teamId: team.id, userId: session.userId, role: "owner", actor: session.userId }, at),
  ]);
  return toTeamView((await deps.teams.get(team.id))!, "owner");
}

export async function getTeam(deps: Deps, session: AuthenticatedSession, teamId: string): Promise<TeamView> {
  const caller = await callerMay(deps, session, teamId, "view_team");
  return toTeamView(await requireTeam(deps, teamId), caller.role);
}

export async function listMembers(deps: Deps, session: AuthenticatedSession, teamId: string, page: PageRequest): Promise<Page<MemberView>> {
  await callerMay(deps, session, teamId, "list_members");
  const members = await deps.teams.listMembers(teamId, page);
  const states = await deps.memberships.readMany(members.items.map((m) => m.userId));
  return { items: members.items.map((m) => toMemberView(m, states.get(m.userId)!)), nextCursor: members.nextCursor };
}

/**
 * Removes a member whose role the caller manages (a privileged action); the last owner stays
 * (409), even against two owners removing each other at once. The member is released at once, and
 * a reset this team asked for is cancelled with the same write.
 */
export async function removeMember(deps: Deps, session: AuthenticatedSession, teamId: string, targetId: string, context: RequestContext): Promise<void> {
  const caller = await callerMay(deps, session, teamId, "remove_member");
  const target = await deps.teams.member(teamId, targetId);
  if (!target) throw new MemberNotFoundError();
  authorize(caller, "remove_member", target.role);
  requirePrivilege(deps, session);
  await endMembership(deps, teamId, target, session.userId, context);
}

export async function requireTeam(deps: Pick<Deps, "teams">, teamId: string): Promise<Team> {
  const team = await deps.teams.get(teamId);
  if (!team) throw new TeamNotFoundError();
  return team;
}

/** Nobody acts on themselves through the team's admin routes (nobody resets themselves). */
export function notSelf(callerId: string, targetId: string): void {
  if (callerId === targetId) throw new TeamForbiddenError("You cannot do this to yourself.");
}
