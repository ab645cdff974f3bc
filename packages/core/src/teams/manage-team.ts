import type { Deps, RequestContext } from "../deps.js";
import { loadAccount } from "../accounts/load-account.js";
import { normalizeEmail } from "../accounts/email.js";
import { AlreadyMemberError, LastOwnerError, MemberNotFoundError, TeamForbiddenError, TeamNotFoundError, UserNotFoundError } from "../errors.js";
import type { Member, Page, PageRequest, Team, TeamRole } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { newId } from "../shared/tokens.js";
import { authorize } from "./authorization.js";
import { callerMay } from "./caller.js";
import { flaggedEvent, holdMember, releaseMember } from "./member-holds.js";
import { toMemberView, toTeamView, type MemberView, type TeamView } from "./views.js";

/** API.md: `POST /v1/teams`, the caller becomes owner. */
export async function createTeam(deps: Deps, userId: string, name: string, context: RequestContext): Promise<TeamView> {
  const account = await loadAccount(deps, userId);
  const now = deps.clock.now();
  const team = { id: newId("team"), name, createdAt: now.toISOString() };
  const owner: Member = { userId, email: account.profile.email, role: "owner", joinedAt: team.createdAt };
  const at = { ...context, now };
  await deps.teams.create(team, owner, [
    newEvent("TeamCreated", { teamId: team.id, name, actor: userId }, at),
    newEvent("TeamMemberAdded", { teamId: team.id, userId, role: "owner", actor: userId }, at),
  ]);
  return toTeamView((await deps.teams.get(team.id))!, "owner");
}

export async function getTeam(deps: Deps, userId: string, teamId: string): Promise<TeamView> {
  const caller = await callerMay(deps, teamId, userId, "view_team");
  const team = await requireTeam(deps, teamId);
  return toTeamView(team, caller.role);
}

export async function listMembers(deps: Deps, userId: string, teamId: string, page: PageRequest): Promise<Page<MemberView>> {
  await callerMay(deps, teamId, userId, "list_members");
  const members = await deps.teams.listMembers(teamId, page);
  const items = await Promise.all(members.items.map(async (m) => toMemberView(m, await deps.holds.read(m.userId, teamId))));
  return { items, nextCursor: members.nextCursor };
}

/**
 * Adds an existing user with a role the caller manages. When the team enforces 2FA the new member
 * is held at once, and flagged (with their sessions narrowed) if they have no factor.
 */
export async function addMember(
  deps: Deps,
  userId: string,
  teamId: string,
  input: { email: string; role: TeamRole },
  context: RequestContext,
): Promise<MemberView> {
  authorize(await deps.teams.member(teamId, userId), "add_member", input.role);
  const team = await requireTeam(deps, teamId);
  const credentials = await deps.accounts.findCredentials(normalizeEmail(input.email));
  const account = credentials && (await deps.accounts.load(credentials.userId));
  if (!account) throw new UserNotFoundError();
  const now = deps.clock.now();
  const member: Member = { userId: account.profile.id, email: account.profile.email, role: input.role, joinedAt: now.toISOString() };
  const added = await deps.teams.addMember(teamId, member, [
    newEvent("TeamMemberAdded", { teamId, userId: member.userId, role: member.role, actor: userId }, { ...context, now }),
  ]);
  if (!added) throw new AlreadyMemberError();
  const { enforcement } = team;
  if (enforcement.enabled) {
    await holdMember(deps, member.userId, teamId, enforcement.generation, "joined",
      (reason) => [flaggedEvent(deps, member.userId, teamId, reason, userId)]);
  }
  return toMemberView(member, await deps.holds.read(member.userId, teamId));
}

/**
 * Removes a member whose role the caller manages; the last owner stays (409), even against two
 * owners removing each other at once (the store's conditional decrement decides). The member's
 * hold is released: if no other team holds them, their setup sessions become full again.
 */
export async function removeMember(deps: Deps, userId: string, teamId: string, targetId: string, context: RequestContext): Promise<void> {
  const caller = await callerMay(deps, teamId, userId, "remove_member");
  const target = await deps.teams.member(teamId, targetId);
  if (!target) throw new MemberNotFoundError();
  authorize(caller, "remove_member", target.role);
  const now = deps.clock.now();
  const result = await deps.teams.removeMember(teamId, target, now, [
    newEvent("TeamMemberRemoved", { teamId, userId: targetId, role: target.role, actor: userId }, { ...context, now }),
  ]);
  if (result === "last_owner") throw new LastOwnerError();
  if (result === "not_member") throw new MemberNotFoundError();
  const team = await requireTeam(deps, teamId);
  if (team.enforcement.generation > 0) await releaseMember(deps, targetId, teamId, team.enforcement.generation);
}

export async function requireTeam(deps: Pick<Deps, "teams">, teamId: string): Promise<Team> {
  const team = await deps.teams.get(teamId);
  if (!team) throw new TeamNotFoundError();
  return team;
}

/** Nobody acts on themselves through the team's admin routes (API.md: nobody resets themselves). */
export function notSelf(callerId: string, targetId: string): void {
  if (callerId === targetId) throw new TeamForbiddenError("You cannot do this to yourself.");
}
