import { html } from "../html.js";
import type { User } from "../types.js";
import { EnforcementCard } from "./enforcement.js";
import { useMyTeams } from "./my-teams.js";
import { Problem } from "./problem.js";

/** "Enforce 2FA for your Team" on Login & security, as the brief has it: one switch per team the person owns or administers. */
export function TeamEnforcement({ user }: { user: User }) {
  const { teams, error } = useMyTeams();
  const managed = teams?.filter((mine) => mine.role === "owner" || mine.role === "admin") ?? [];
  if (!error && managed.length === 0) return null;
  return html`<section class="card" aria-labelledby="enforce-teams-title">
    <h2 id="enforce-teams-title">Enforce 2FA for your Team</h2>
    <p>Require every member of a team to set up two-factor authentication before they can use their account.</p>
    <${Problem} error=${error} />
    ${managed.map((mine) => html`<${EnforcementCard} key=${mine.team.id} team=${{ ...mine.team, role: mine.role }} me=${user} title=${mine.team.name} level=${3} />`)}
  </section>`;
}
