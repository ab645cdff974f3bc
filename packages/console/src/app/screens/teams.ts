import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import { useMyTeams } from "../parts/my-teams.js";
import { Problem } from "../parts/problem.js";
import { ROLE_NAMES } from "../parts/roles.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { value } from "../parts/value.js";
import type { MyInvitation, Page, Team } from "../types.js";
import { useAction } from "../use-action.js";
import { when } from "../parts/when.js";

/** The user's teams (`GET /v1/me/teams`), the invitations waiting for their answer, and creating a team. */
export function Teams() {
  const app = useConsole();
  const mine = useMyTeams();
  const [invitations, setInvitations] = useState<MyInvitation[]>([]);
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const load = useAction();
  const answer = useAction();
  const create = useAction();

  const read = () => load.read(async () => setInvitations((await api.get<Page<MyInvitation>>("/v1/me/invitations?limit=100")).items));
  useEffect(() => { void read(); }, [app.version]);

  const settle = async (text: string) => {
    setNotice(text);
    document.getElementById("my-teams-title")?.focus();
    await app.changed();
  };
  const accept = async (invitation: MyInvitation) => {
    if (await answer.run(() => api.post(`/v1/me/invitations/${seg(invitation.id)}/accept`))) {
      await settle(`You joined ${invitation.team.name} as ${ROLE_NAMES[invitation.role]!.toLowerCase()}.`);
    }
  };
  const decline = async (invitation: MyInvitation) => {
    if (await answer.run(() => api.delete(`/v1/me/invitations/${seg(invitation.id)}`))) {
      await settle(`You declined the invitation to ${invitation.team.name}.`);
    }
  };
  const submitCreate = async (event: Event) => {
    event.preventDefault();
    const created = await create.run(() => api.post<{ team: Team }>("/v1/teams", { name: name.trim() }));
    if (created) location.hash = `#/teams/${seg(created.team.id)}`;
  };

  return html`<${ScreenHeading} title="Teams" />
    ${invitations.length > 0 && html`<section class="card attention" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <ul class="rows">${invitations.map((invitation) => html`<li key=${invitation.id} class="row">
        <span><strong>${invitation.team.name}</strong>: ${invitation.invitedBy.name} invited you as ${ROLE_NAMES[invitation.role]!.toLowerCase()}
          <span class="hint"> · open until ${when(invitation.expiresAt)}</span></span>
        <span class="actions">
          <button type="button" class="primary" onClick=${() => accept(invitation)} aria-disabled=${answer.busy}
            aria-label=${`Accept the invitation to ${invitation.team.name}`}>Accept</button>
          <button type="button" onClick=${() => decline(invitation)} aria-disabled=${answer.busy}
            aria-label=${`Decline the invitation to ${invitation.team.name}`}>Decline</button>
        </span>
      </li>`)}</ul>
      <${Problem} error=${answer.error ?? load.error} />
    </section>`}
    <p role="status">${notice}</p>
    <section class="card" aria-labelledby="my-teams-title">
      <h2 id="my-teams-title" tabindex="-1">Your teams</h2>
      <${Problem} error=${mine.error} />
      ${mine.teams?.length === 0 && html`<p>No teams yet: create one, or accept an invitation.</p>`}
      ${mine.teams && mine.teams.length > 0 && html`<ul class="rows">${mine.teams.map(({ team, role, enforcing }) => html`<li key=${team.id} class="row">
        <a href=${`#/teams/${seg(team.id)}`}>${team.name}</a>
        <span class="hint">${ROLE_NAMES[role]} · 2FA ${enforcing ? "enforced" : "not enforced"}</span>
      </li>`)}</ul>`}
    </section>
    <section class="card" aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <form onSubmit=${submitCreate}>
        <div class="inline">
          <label>Team name <input name="team-name" required maxlength="64" value=${name} onInput=${(e: Event) => setName(value(e))} /></label>
          <button type="submit" class="primary" aria-disabled=${create.busy}>Create team</button>
        </div>
      </form>
      <${Problem} error=${create.error} />
    </section>`;
}
