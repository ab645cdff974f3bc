import { needsSetup } from "../fence/fence.js";
import type { Enforcement, Invitation, Member, RolloutSegment, SecurityState, Team, TeamRole } from "../ports.js";
import { segmentsOf, withProgress } from "./segments.js";

export interface TeamView {
  id: string;
  name: string;
  createdAt: string;
  memberCount: number;
  /** The caller's own role. */
  role: TeamRole;
  enforcementEnabled: boolean;
}

export interface MemberView {
  userId: string;
  email: string;
  role: TeamRole;
  twoFactorEnabled: boolean;
  needsSetup: boolean;
}

export interface EnforcementView {
  enabled: boolean;
  enabledAt: string | null;
  enabledBy: string | null;
  rollout: {
    state: Enforcement["rollout"]["state"];
    membersTotal: number;
    membersProcessed: number;
    membersNeedingSetup: number;
    completedAt: string | null;
  };
}

export function toTeamView(team: Team, role: TeamRole): TeamView {
  return {
    id: team.id, name: team.name, createdAt: team.createdAt, memberCount: team.memberCount, role,
    enforcementEnabled: team.enforcement.enabled,
  };
}

export function toMemberView(member: Member, state: SecurityState): MemberView {
  return { userId: member.userId, email: member.email, role: member.role, twoFactorEnabled: state.hasFactor, needsSetup: needsSetup(state) };
}

/** The enforcement with its rollout's progress, summed over the segments of its generation. */
export function toEnforcementView(enforcement: Enforcement, stored: readonly RolloutSegment[]): EnforcementView {
  const progress = withProgress(enforcement.rollout, segmentsOf(enforcement.rollout, enforcement.generation, stored));
  const { state, membersTotal, membersProcessed, membersNeedingSetup, completedAt } = progress;
  // Members who joined during the rollout are counted as it reaches them.
  const rollout = { state, membersTotal: Math.max(membersTotal, membersProcessed), membersProcessed, membersNeedingSetup, completedAt };
  return { enabled: enforcement.enabled, enabledAt: enforcement.enabledAt, enabledBy: enforcement.enabledBy, rollout };
}

/** An invitation as the team's admins see it. */
export interface TeamInvitationView {
  id: string;
  teamId: string;
  email: string;
  role: TeamRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** An invitation as the invitee sees it: names, not ids. */
export interface MyInvitationView {
  id: string;
  team: { id: string; name: string };
  role: TeamRole;
  invitedBy: { name: string };
  createdAt: string;
  expiresAt: string;
}

export function toTeamInvitationView(invitation: Invitation): TeamInvitationView {
  const { id, teamId, email, role, invitedBy, createdAt, expiresAt } = invitation;
  return { id, teamId, email, role, invitedBy, createdAt, expiresAt };
}

export function toMyInvitationView(invitation: Invitation): MyInvitationView {
  return {
    id: invitation.id,
    team: { id: invitation.teamId, name: invitation.teamName },
    role: invitation.role,
    invitedBy: { name: invitation.invitedByName },
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
  };
}

/** One of the caller's teams, for `GET /v1/me/teams`. */
export interface MyTeamView {
  team: { id: string; name: string };
  role: TeamRole;
  joinedAt: string;
  enforcing: boolean;
}
