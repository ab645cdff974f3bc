import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import { EnforcementCard } from "../parts/enforcement.js";
import { Invitations } from "../parts/invitations.js";
import { Members } from "../parts/members.js";
import { Problem } from "../parts/problem.js";
import { ROLE_NAMES } from "../parts/roles.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { useTeamPeople } from "../parts/team-people.js";
import type { Team as TeamView, User } from "../types.js";
import { useAction } from "../use-action.js";

/** One team: the enforcement switch, who is in it and their 2FA, invitations, the way to the audit log. */
export function Team({ user, teamId }: { user: User; teamId: string }) {
  const [team, setTeam] = useState<TeamView | null>(null);
  const [rolledOut, setRolledOut] = useState(0);
  const action = useAction();
  const manages = team?.role === "owner" || team?.role === "admin";
  const people = useTeamPeople(teamId, manages, rolledOut);
  useEffect(() => {
    void action.read(async () => setTeam((await api.get<{ team: TeamView }>(`/v1/teams/${seg(teamId)}`)).team));
  }, [teamId]);

  if (!team) {
    return html`<${ScreenHeading} title="Team" />
      <${Problem} error=${action.error} />
      ${action.error && html`<p><a href="#/teams">Back to your teams</a></p>`}`;
  }
  return html`<${ScreenHeading} title=${team.name} />
    <p class="hint">Your role: ${ROLE_NAMES[team.role]} · ${team.memberCount} ${team.memberCount === 1 ? "member" : "members"}
      ${team.role !== "member" && html` · <a href=${`#/teams/${seg(team.id)}/audit`}>Audit log</a>`}</p>
    ${team.role !== "member" && html`<${EnforcementCard} team=${team} me=${user} title="Enforce 2FA for your Team" onRolledOut=${() => setRolledOut((n) => n + 1)} />`}
    ${manages && html`<${Members} team=${team} me=${user} people=${people} />`}
    ${manages && html`<${Invitations} team=${team} me=${user} people=${people} />`}
    ${team.role === "member" && html`<p>${team.enforcementEnabled ? "This team requires two-factor authentication. " : ""}Its owners and admins manage it.</p>`}`;
}
