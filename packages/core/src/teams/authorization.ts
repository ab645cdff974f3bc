import { TeamForbiddenError, TeamNotFoundError } from "../errors.js";
import type { Member, TeamRole } from "../ports.js";

/** Everything a team route does, one action per route (API.md, Teams). */
export type TeamAction =
  | "view_team"
  | "add_member"
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
  add_member: ["owner", "admin"],
  list_members: ["owner", "admin"],
  remove_member: ["owner", "admin"],
  change_enforcement: ["owner", "admin"],
  view_enforcement: ["owner", "admin", "auditor"],
  reset_two_factor: ["owner", "admin"],
  read_audit: ["owner", "admin", "auditor"],
};

/** Whom a manager may add, remove or reset: admins members and auditors, owners anyone. */
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
