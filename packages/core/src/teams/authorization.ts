import type { Deps } from "../deps.js";
import { TeamForbiddenError, TeamNotFoundError } from "../errors.js";
import type { Member, SecurityState, TeamRole } from "../ports.js";

/** Everything a team route does, one action per route. */
export type TeamAction =
  | "view_team"
  | "invite"
  | "list_invitations"
  | "withdraw_invitation"
  | "list_members"
  | "remove_member"
  | "change_enforcement"
  | "view_enforcement"
  | "reset_two_factor"
  | "read_audit";

export const TEAM_ROLES: readonly TeamRole[] = ["owner", "admin", "member", "auditor"];

/**
 * The one table of who may do what: route (action) × role. Owners and admins manage; members see
 * their team; auditors read the audit log and the rollout only.
 */
export const PERMISSIONS: Readonly<Record<TeamAction, readonly TeamRole[]>> = {
  view_team: ["owner", "admin", "member", "auditor"],
  invite: ["owner", "admin"],
  list_invitations: ["owner", "admin"],
  withdraw_invitation: ["owner", "admin"],
  list_members: ["owner", "admin"],
  remove_member: ["owner", "admin"],
  change_enforcement: ["owner", "admin"],
  view_enforcement: ["owner", "admin", "auditor"],
  reset_two_factor: ["owner", "admin"],
  read_audit: ["owner", "admin", "auditor"],
};

/** Whom a manager may invite, remove or reset: admins members and auditors, owners anyone. */
export const MANAGES: Readonly<Record<TeamRole, readonly TeamRole[]>> = {
  owner: ["owner", "admin", "member", "auditor"],
  admin: ["member", "auditor"],
  member: [],
  auditor: [],
};

/**
 * Decides a team request from the caller's membership: not a member (another tenant) is 404, so
 * that a team's existence never leaks; a role without the right is 403. With `target`, the role
 * acted on must be one the caller manages.
 */
export function authorize(caller: Member | undefined, action: TeamAction, target?: TeamRole): Member {
  if (!caller) throw new TeamNotFoundError();
  if (!PERMISSIONS[action].includes(caller.role)) throw new TeamForbiddenError();
  if (target !== undefined && !MANAGES[caller.role].includes(target)) {
    throw new TeamForbiddenError(`An ${caller.role} cannot do this to an ${target}; ask an owner.`);
  }
  return caller;
}

/**
 * The caller's membership, as the team lists it and as the caller's own state records it: a member
 * item whose membership the user's side no longer has (a removal that has not finished) grants nothing.
 */
export async function membershipOf(deps: Pick<Deps, "teams">, teamId: string, userId: string, state: Pick<SecurityState, "teams">): Promise<Member | undefined> {
  const member = await deps.teams.member(teamId, userId);
  return member && state.teams.some((team) => team.teamId === teamId && team.joinedAt === member.joinedAt) ? member : undefined;
}

/** The caller's membership, authorized for `action` (404 for another team, 403 for a role without the right). */
export async function callerMay(
  deps: Pick<Deps, "teams">,
  caller: { userId: string; security: Pick<SecurityState, "teams"> },
  teamId: string,
  action: TeamAction,
  target?: TeamRole,
): Promise<Member> {
  return authorize(await membershipOf(deps, teamId, caller.userId, caller.security), action, target);
}
