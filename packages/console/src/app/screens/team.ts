import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import { EnforcementSwitch } from "../parts/enforcement.js";
import { Invitations } from "../parts/invitations.js";
import { Members } from "../parts/members.js";
import { Problem } from "../parts/problem.js";
import type { Team as TeamView, User } from "../types.js";
import { useAction } from "../use-action.js";

/** One team: who is in it and their 2FA, the enforcement switch, the way to the audit log. */
export function Team({ user, teamId }: { user: User; teamId: string }) {
  const [team, setTeam] = useState<TeamView | null>(null);
  const [membersVersion, setMembersVersion] = useState(0);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => {
      const found = await api.get<{ team: TeamView }>(`/v1/teams/${seg(teamId)}`);
      setTeam(found.team);
    });
  }, [teamId]);

  if (!team) return html`<h1>Team</h1><${Problem} error=${action.error} />`;
  const manages = team.role === "owner" || team.role === "admin";
  return html`<h1>${team.name}</h1>
    <p class="hint">Your role: ${team.role} · team id <code>${team.id}</code>
      ${team.role !== "member" && html` · <a href=${`#/teams/${seg(team.id)}/audit`}>Audit log</a>`}</p>
    ${team.role !== "member" && html`<${EnforcementSwitch} team=${team} onRolledOut=${() => setMembersVersion((v) => v + 1)} />`}
    ${manages && html`<${Members} team=${team} me=${user} version=${membersVersion} />`}
    ${manages && html`<${Invitations} team=${team} />`}
    ${team.role === "member" && html`<p>Members see their team here; its owners and admins manage it.</p>`}`;
}
