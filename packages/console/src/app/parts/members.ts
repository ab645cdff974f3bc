import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import type { Member, Page, Team, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { value } from "../screens/sign-up.js";

const ROLES = ["member", "auditor", "admin", "owner"] as const;

/** Members with their 2FA status; add, remove, and reset a member's 2FA (a lost phone). Owners and admins only. */
export function Members({ team, me, version }: { team: Team; me: User; version: number }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("member");
  const [notice, setNotice] = useState<string | null>(null);
  const load = useAction();
  const change = useAction();
  const base = `/v1/teams/${seg(team.id)}/members`;

  const read = async (from: string | null) => {
    const page = await load.run(() => api.get<Page<Member>>(`${base}?${new URLSearchParams({ limit: "50", ...(from ? { cursor: from } : {}) })}`));
    if (!page) return;
    setMembers((shown) => (from ? [...shown, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };
  useEffect(() => { void read(null); }, [team.id, version]);

  const add = async (event: Event) => {
    event.preventDefault();
    const added = await change.run(() => api.post<{ member: Member }>(base, { email: email.trim(), role }));
    if (!added) return;
    setEmail("");
    setNotice(`${added.member.email} added as ${added.member.role}.`);
    await read(null);
  };
  const remove = async (member: Member) => {
    if (await change.run(() => api.delete(`${base}/${seg(member.userId)}`))) {
      setNotice(`${member.email} removed.`);
      await read(null);
    }
  };
  const reset = async (member: Member) => {
    if (!confirm(`Reset two-factor authentication for ${member.email}? Their factors, recovery codes and trusted devices are removed and they are signed out.`)) return;
    if (await change.run(() => api.post(`${base}/${seg(member.userId)}/two-factor-reset`))) {
      setNotice(`2FA reset for ${member.email}: they set it up again at their next sign-in.`);
      await read(null);
    }
  };

  return html`<section class="card wide" aria-labelledby="members-title">
    <h2 id="members-title">Members</h2>
    <${Problem} error=${load.error} />
    <table>
      <caption class="visually-hidden">Team members and their two-factor status</caption>
      <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">2FA</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${members.map((member) => html`<tr key=${member.userId}>
        <td>${member.email}</td>
        <td>${member.role}</td>
        <td>${member.twoFactorEnabled ? html`<span class="badge on">On</span>` : member.needsSetup ? html`<span class="badge warn">Needs setup</span>` : html`<span class="badge off">Off</span>`}</td>
        <td><span class="actions">${member.userId !== me.id && html`
          <button type="button" onClick=${() => reset(member)} disabled=${change.busy || !member.twoFactorEnabled} aria-label=${`Reset 2FA of ${member.email}`}>Reset 2FA</button>
          <button type="button" class="danger" onClick=${() => remove(member)} disabled=${change.busy} aria-label=${`Remove ${member.email}`}>Remove</button>`}</span></td>
      </tr>`)}</tbody>
    </table>
    ${cursor && html`<button type="button" onClick=${() => read(cursor)} disabled=${load.busy}>Show more members</button>`}
    <h3>Add a member</h3>
    <form class="inline" onSubmit=${add}>
      <label>Email <input name="member-email" type="email" required value=${email} onInput=${(e: Event) => setEmail(value(e))} /></label>
      <label>Role <select name="member-role" value=${role} onChange=${(e: Event) => setRole(value(e) as typeof role)}>
        ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
      </select></label>
      <button type="submit" disabled=${change.busy}>Add member</button>
    </form>
    <${Problem} error=${change.error} />
    ${notice && html`<p role="status">${notice}</p>`}
  </section>`;
}
