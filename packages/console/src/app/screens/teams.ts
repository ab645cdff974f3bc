import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import { forgetTeam, knownTeams, rememberTeam } from "../known-teams.js";
import { Problem } from "../parts/problem.js";
import type { Team, User } from "../types.js";
import { useAction } from "../use-action.js";
import { value } from "./sign-up.js";

/** The teams this browser knows for the user, creating one, and opening one by id. */
export function Teams({ user }: { user: User }) {
  const [teams, setTeams] = useState<Team[]>([]);
  const [name, setName] = useState("");
  const [openId, setOpenId] = useState("");
  const load = useAction();
  const create = useAction();
  const open = useAction();

  useEffect(() => {
    void load.run(async () => {
      const ids = [...new Set([...knownTeams(user.id), ...user.twoFactor.enforcedBy])];
      const found: Team[] = [];
      for (const id of ids) {
        try {
          found.push((await api.get<{ team: Team }>(`/v1/teams/${seg(id)}`)).team);
        } catch {
          forgetTeam(user.id, id); // left the team, or it is not theirs: nothing to show
        }
      }
      setTeams(found);
    });
  }, [user.id]);

  const submitCreate = async (event: Event) => {
    event.preventDefault();
    const created = await create.run(() => api.post<{ team: Team }>("/v1/teams", { name: name.trim() }));
    if (!created) return;
    rememberTeam(user.id, created.team.id);
    location.hash = `#/teams/${seg(created.team.id)}`;
  };
  const submitOpen = async (event: Event) => {
    event.preventDefault();
    const found = await open.run(() => api.get<{ team: Team }>(`/v1/teams/${seg(openId.trim())}`));
    if (!found) return;
    rememberTeam(user.id, found.team.id);
    location.hash = `#/teams/${seg(found.team.id)}`;
  };

  return html`<h1>Teams</h1>
    <section class="card" aria-labelledby="my-teams-title">
      <h2 id="my-teams-title">Your teams</h2>
      <${Problem} error=${load.error} />
      ${teams.length === 0 && !load.busy && html`<p>No teams yet: create one, or open a team you were added to by its id.</p>`}
      <ul class="rows">${teams.map((team) => html`<li key=${team.id} class="row">
        <a href=${`#/teams/${seg(team.id)}`}>${team.name}</a>
        <span class="hint">${team.role} · ${team.memberCount} ${team.memberCount === 1 ? "member" : "members"} · 2FA ${team.enforcementEnabled ? "enforced" : "not enforced"}</span>
      </li>`)}</ul>
    </section>
    <section class="card" aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <form class="inline" onSubmit=${submitCreate}>
        <label>Team name <input name="team-name" required maxlength="64" value=${name} onInput=${(e: Event) => setName(value(e))} /></label>
        <button type="submit" disabled=${create.busy}>Create team</button>
      </form>
      <${Problem} error=${create.error} />
    </section>
    <section class="card" aria-labelledby="open-team-title">
      <h2 id="open-team-title">Open a team</h2>
      <form class="inline" onSubmit=${submitOpen}>
        <label>Team id <input name="team-id" required value=${openId} onInput=${(e: Event) => setOpenId(value(e))} /></label>
        <button type="submit" disabled=${open.busy}>Open</button>
      </form>
      <${Problem} error=${open.error} />
    </section>`;
}
