import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import { Problem } from "../parts/problem.js";
import type { MyInvitation, MyTeam, Page, Team } from "../types.js";
import { useAction } from "../use-action.js";
import { value } from "./sign-up.js";

/** The user's teams (`GET /v1/me/teams`), the invitations waiting for their answer, and creating a team. */
export function Teams() {
  const [teams, setTeams] = useState<MyTeam[]>([]);
  const [invitations, setInvitations] = useState<MyInvitation[]>([]);
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const load = useAction();
  const answer = useAction();
  const create = useAction();

  const read = () => load.run(async () => {
    const [mine, waiting] = await Promise.all([
      api.get<Page<MyTeam>>("/v1/me/teams?limit=100"),
      api.get<Page<MyInvitation>>("/v1/me/invitations?limit=100"),
    ]);
    setTeams(mine.items);
    setInvitations(waiting.items);
  });
  useEffect(() => { void read(); }, []);

  const accept = async (invitation: MyInvitation) => {
    if (!(await answer.run(() => api.post(`/v1/me/invitations/${seg(invitation.id)}/accept`)))) return;
    setNotice(`You joined ${invitation.team.name} as ${invitation.role}.`);
    await read();
  };
  const decline = async (invitation: MyInvitation) => {
    if (!(await answer.run(() => api.delete(`/v1/me/invitations/${seg(invitation.id)}`)))) return;
    setNotice(`You declined the invitation to ${invitation.team.name}.`);
    await read();
  };
  const submitCreate = async (event: Event) => {
    event.preventDefault();
    const created = await create.run(() => api.post<{ team: Team }>("/v1/teams", { name: name.trim() }));
    if (created) location.hash = `#/teams/${seg(created.team.id)}`;
  };

  return html`<h1>Teams</h1>
    ${invitations.length > 0 && html`<section class="card attention" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <ul class="rows">${invitations.map((invitation) => html`<li key=${invitation.id} class="row">
        <span><strong>${invitation.team.name}</strong> — ${invitation.invitedBy.name} invited you as ${invitation.role}</span>
        <span class="actions">
          <button type="button" class="primary" onClick=${() => accept(invitation)} disabled=${answer.busy}
            aria-label=${`Accept the invitation to ${invitation.team.name}`}>Accept</button>
          <button type="button" onClick=${() => decline(invitation)} disabled=${answer.busy}
            aria-label=${`Decline the invitation to ${invitation.team.name}`}>Decline</button>
        </span>
      </li>`)}</ul>
      <${Problem} error=${answer.error} />
    </section>`}
    ${notice && html`<p role="status">${notice}</p>`}
    <section class="card" aria-labelledby="my-teams-title">
      <h2 id="my-teams-title">Your teams</h2>
      <${Problem} error=${load.error} />
      ${teams.length === 0 && !load.busy && !load.error && html`<p>No teams yet: create one, or accept an invitation.</p>`}
      <ul class="rows">${teams.map(({ team, role, enforcing }) => html`<li key=${team.id} class="row">
        <a href=${`#/teams/${seg(team.id)}`}>${team.name}</a>
        <span class="hint">${role} · 2FA ${enforcing ? "enforced" : "not enforced"}</span>
      </li>`)}</ul>
    </section>
    <section class="card" aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <form class="inline" onSubmit=${submitCreate}>
        <label>Team name <input name="team-name" required maxlength="64" value=${name} onInput=${(e: Event) => setName(value(e))} /></label>
        <button type="submit" disabled=${create.busy}>Create team</button>
      </form>
      <${Problem} error=${create.error} />
    </section>`;
}
