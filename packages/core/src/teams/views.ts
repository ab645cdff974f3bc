import type { Enforcement, HoldState, Member, Team, TeamRole } from "../ports.js";

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

export function toMemberView(member: Member, state: HoldState): MemberView {
  return {
    userId: member.userId,
    email: member.email,
    role: member.role,
    twoFactorEnabled: state.twoFactorEnabled,
    needsSetup: needsSetup(state),
  };
}

/** A member needs setup while a team holds them and they have no factor. */
export function needsSetup(state: Pick<HoldState, "enforcedBy" | "twoFactorEnabled">): boolean {
  return state.enforcedBy.length > 0 && !state.twoFactorEnabled;
}

export function toEnforcementView(enforcement: Enforcement): EnforcementView {
  const { cursor: _cursor, ...rollout } = enforcement.rollout;
  return { enabled: enforcement.enabled, enabledAt: enforcement.enabledAt, enabledBy: enforcement.enabledBy, rollout };
}
