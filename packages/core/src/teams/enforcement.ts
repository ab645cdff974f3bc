import type { Deps, RequestContext } from "../deps.js";
import { FactorsChangedError } from "../errors.js";
import type { Enforcement } from "../ports.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import { newEvent } from "../common/events.js";
import { callerMay } from "./authorization.js";
import { requireTeam } from "./manage-team.js";
import { requirePrivilege } from "./privileged.js";
import { toEnforcementView, type EnforcementView } from "./views.js";

/**
 * `PUT /v1/teams/{teamId}/enforcement` (a privileged action): one conditional write on the team
 * item, whatever the team's size — the new generation, a pending rollout of fresh segments and the
 * event that starts the fan-out (after the watch that resumes it if it stalls). The members are the fan-out's job. Asking for the state the team is already in
 * changes nothing and emits nothing (the running or finished rollout stands).
 */
export async function changeEnforcement(
  deps: Deps,
  session: AuthenticatedSession,
  teamId: string,
  enabled: boolean,
  context: RequestContext,
): Promise<EnforcementView> {
  await callerMay(deps, session, teamId, "change_enforcement");
  requirePrivilege(deps, session);
  for (let attempt = 0; attempt < 3; attempt++) {
    const team = await requireTeam(deps, teamId);
    if (team.enforcement.enabled === enabled) return toEnforcementView(team.enforcement, await deps.teams.rolloutSegments(teamId));
    const now = deps.clock.now();
    const generation = team.enforcement.generation + 1;
    const next: Enforcement = {
      enabled,
      enabledAt: enabled ? now.toISOString() : null,
      enabledBy: enabled ? session.userId : null,
      generation,
      rollout: {
        state: "pending", membersTotal: team.memberCount, membersProcessed: 0, membersNeedingSetup: 0, completedAt: null,
        updatedAt: now.toISOString(), segmentCount: deps.policy.rolloutSegments,
      },
    };
    const event = newEvent(enabled ? "TeamEnforcementEnabled" : "TeamEnforcementDisabled", { teamId, generation, actor: session.userId }, { ...context, now });
    // Watched first: a crash after it leaves a watch the sweep drops, never a rollout nobody watches.
    await deps.teams.watchRollout(teamId, generation);
    if (await deps.teams.changeEnforcement(teamId, team.enforcement.generation, next, [event])) return toEnforcementView(next, []);
  }
  throw new FactorsChangedError();
}

/** `GET /v1/teams/{teamId}/enforcement`: owners, admins and auditors see the rollout's progress. */
export async function getEnforcement(deps: Deps, session: AuthenticatedSession, teamId: string): Promise<EnforcementView> {
  await callerMay(deps, session, teamId, "view_enforcement");
  const [team, segments] = await Promise.all([requireTeam(deps, teamId), deps.teams.rolloutSegments(teamId)]);
  return toEnforcementView(team.enforcement, segments);
}
