import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import type { Member, Page, Team, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";

/** Members with their 2FA status; remove, and reset a member's 2FA (a lost phone). Owners and admins only. */
export function Members({ team, me, version }: { team: Team; me: User; version: number }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
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

  const remove = async (member: Member) => {
    if (await change.run(() => api.delete(`${base}/${seg(member.userId)}`))) {
      setNotice(`${member.email} removed.`);
      await read(null);
    }
  };
  const reset = async (member: Member) => {
    if (!confirm(`Reset two-factor authentication for ${member.email}? In a day their factors, recovery codes and trusted devices are removed and they are signed out, unless they prove a second factor before.`)) return;
    const asked = await change.run(() => api.post<{ reset: { effectiveAt: string } }>(`${base}/${seg(member.userId)}/two-factor-reset`));
    if (asked) setNotice(`${member.email} is told now; their 2FA is reset on ${new Date(asked.reset.effectiveAt).toLocaleString()} unless they cancel it.`);
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
    <${Problem} error=${change.error} />
    ${notice && html`<p role="status">${notice}</p>`}
  </section>`;
}
