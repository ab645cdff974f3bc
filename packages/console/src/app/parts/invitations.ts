import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import type { Page, Team, TeamInvitation } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { value } from "../screens/sign-up.js";

const ROLES = ["member", "auditor", "admin", "owner"] as const;

/**
 * Inviting people (nobody joins without accepting), and the invitations still open, which an admin
 * may withdraw. Inviting an admin or an owner asks for a recent second factor (the action's retry).
 */
export function Invitations({ team }: { team: Team }) {
  const [open, setOpen] = useState<TeamInvitation[]>([]);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("member");
  const [notice, setNotice] = useState<string | null>(null);
  const load = useAction();
  const change = useAction();
  const base = `/v1/teams/${seg(team.id)}/invitations`;

  const read = () => load.run(async () => setOpen((await api.get<Page<TeamInvitation>>(`${base}?limit=100`)).items));
  useEffect(() => { void read(); }, [team.id]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const sent = await change.run(() => api.post<{ invitation: TeamInvitation }>(base, { email: email.trim(), role }));
    if (!sent) return;
    setEmail("");
    setNotice(`${sent.invitation.email} is invited as ${sent.invitation.role}. They join once they accept.`);
    await read();
  };
  const withdraw = async (invitation: TeamInvitation) => {
    if (!(await change.run(() => api.delete(`${base}/${seg(invitation.id)}`)))) return;
    setNotice(`The invitation to ${invitation.email} is withdrawn.`);
    await read();
  };

  return html`<section class="card wide" aria-labelledby="invite-title">
    <h2 id="invite-title">Invite someone</h2>
    <form class="inline" onSubmit=${submit}>
      <label>Email <input name="invite-email" type="email" required value=${email} onInput=${(e: Event) => setEmail(value(e))} /></label>
      <label>Role <select name="invite-role" value=${role} onChange=${(e: Event) => setRole(value(e) as typeof role)}>
        ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
      </select></label>
      <button type="submit" disabled=${change.busy}>Send invitation</button>
    </form>
    <${Problem} error=${change.error} />
    ${notice && html`<p role="status">${notice}</p>`}
    <h3>Open invitations</h3>
    <${Problem} error=${load.error} />
    ${open.length === 0 && !load.busy && html`<p class="hint">None.</p>`}
    <ul class="rows">${open.map((invitation) => html`<li key=${invitation.id} class="row">
      <span>${invitation.email} · ${invitation.role}</span>
      <button type="button" onClick=${() => withdraw(invitation)} disabled=${change.busy}
        aria-label=${`Withdraw the invitation to ${invitation.email}`}>Withdraw</button>
    </li>`)}</ul>
  </section>`;
}
