import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { Page, Team, TeamInvitation, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { ROLE_HINTS, ROLE_NAMES } from "./roles.js";
import { personOf, type TeamPeople } from "./team-people.js";
import { value } from "./value.js";
import { when } from "./when.js";

const ROLES = ["member", "auditor", "admin", "owner"] as const;

/**
 * Inviting people (nobody joins without accepting), and the invitations still open, which an admin
 * may withdraw after a confirmation. Inviting an admin or an owner asks for a recent second factor.
 */
export function Invitations({ team, me, people }: { team: Team; me: User; people: TeamPeople }) {
  const app = useConsole();
  const [open, setOpen] = useState<TeamInvitation[]>([]);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("member");
  const [notice, setNotice] = useState<string | null>(null);
  const load = useAction();
  const change = useAction();
  const base = `/v1/teams/${seg(team.id)}/invitations`;

  const read = () => load.read(async () => setOpen((await api.get<Page<TeamInvitation>>(`${base}?limit=100`)).items));
  useEffect(() => { void read(); }, [team.id, app.version]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const sent = await change.run(() => api.post<{ invitation: TeamInvitation }>(base, { email: email.trim(), role }));
    if (!sent) return;
    setEmail("");
    await read();
    setNotice(`${sent.invitation.email} is invited as ${ROLE_NAMES[sent.invitation.role]!.toLowerCase()}. They join once they accept.`);
  };
  const withdraw = async (invitation: TeamInvitation) => {
    const sure = await app.confirm({
      title: `Withdraw the invitation to ${invitation.email}?`,
      body: `They can no longer join ${team.name} with it. You can invite them again later.`,
      confirm: "Withdraw invitation",
    });
    if (!sure || !(await change.run(() => api.delete(`${base}/${seg(invitation.id)}`)))) return;
    await read();
    setNotice(`The invitation to ${invitation.email} is withdrawn.`);
    document.getElementById("invite-title")?.focus();
  };

  return html`<section class="card" aria-labelledby="invite-title">
    <h2 id="invite-title" tabindex="-1">Invite someone</h2>
    <form onSubmit=${submit}>
      <div class="inline">
        <label>Email <input name="invite-email" type="email" required value=${email} onInput=${(e: Event) => setEmail(value(e))} /></label>
        <label>Role <select name="invite-role" value=${role} aria-describedby="invite-role-hint" onChange=${(e: Event) => setRole(value(e) as typeof role)}>
          ${ROLES.map((r) => html`<option value=${r}>${ROLE_NAMES[r]}</option>`)}
        </select></label>
        <button type="submit" class="primary" aria-disabled=${change.busy}>Send invitation</button>
      </div>
    </form>
    <p id="invite-role-hint" class="hint">${ROLE_NAMES[role]}: ${ROLE_HINTS[role]}.</p>
    <${Problem} error=${change.error} />
    <p role="status">${notice}</p>
    <h3>Open invitations</h3>
    <${Problem} error=${load.error} />
    ${open.length === 0 && !load.busy && html`<p class="hint">None.</p>`}
    <ul class="rows" aria-label="Open invitations">${open.map((invitation) => html`<li key=${invitation.id} class="row">
      <span>${invitation.email} · ${ROLE_NAMES[invitation.role]}
        <span class="hint"> · invited by ${personOf(invitation.invitedBy, me, people.members)}, open until ${when(invitation.expiresAt)}</span></span>
      <button type="button" onClick=${() => withdraw(invitation)} aria-disabled=${change.busy}
        aria-label=${`Withdraw the invitation to ${invitation.email}`}>Withdraw</button>
    </li>`)}</ul>
  </section>`;
}
