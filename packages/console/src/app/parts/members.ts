import { useRef, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { Member, Team, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { ROLE_NAMES } from "./roles.js";
import type { TeamPeople } from "./team-people.js";
import { when } from "./when.js";

/** Members with their 2FA status; remove one, or reset their 2FA (a lost phone), each after a confirmation. Owners and admins only. */
export function Members({ team, me, people }: { team: Team; me: User; people: TeamPeople }) {
  const app = useConsole();
  const [notice, setNotice] = useState<string | null>(null);
  const change = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const base = `/v1/teams/${seg(team.id)}/members`;

  const remove = async (member: Member) => {
    const sure = await app.confirm({
      title: `Remove ${member.email} from ${team.name}?`,
      body: "They lose access to the team at once. To come back they need a new invitation.",
      confirm: "Remove member",
    });
    if (!sure || !(await change.run(() => api.delete(`${base}/${seg(member.userId)}`)))) return;
    setNotice(`${member.email} is no longer a member of ${team.name}.`);
    heading.current?.focus();
    await people.reload();
  };
  const reset = async (member: Member) => {
    const sure = await app.confirm({
      title: `Reset two-factor authentication for ${member.email}?`,
      body: "For a lost phone or key. They are told now; in a day their authenticator app, security keys, recovery codes and remembered devices are removed and they are signed out, unless they verify it's them before.",
      confirm: "Reset 2FA",
    });
    if (!sure) return;
    const asked = await change.run(() => api.post<{ reset: { effectiveAt: string } }>(`${base}/${seg(member.userId)}/two-factor-reset`));
    if (asked) setNotice(`${member.email} is told now. Their two-factor authentication is reset on ${when(asked.reset.effectiveAt)} unless they cancel it.`);
  };

  return html`<section class="card" aria-labelledby="members-title">
    <h2 id="members-title" ref=${heading} tabindex="-1">Members</h2>
    <${Problem} error=${people.error} />
    ${people.members && html`<table class="stack">
      <caption class="visually-hidden">Team members and their two-factor status</caption>
      <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">2FA</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${people.members.map((member) => html`<tr key=${member.userId}>
        <td data-label="Member">${member.email}${member.userId === me.id && html` <span class="hint">(you)</span>`}</td>
        <td data-label="Role">${ROLE_NAMES[member.role]}</td>
        <td data-label="2FA">${member.twoFactorEnabled ? html`<span class="badge on">On</span>` : member.needsSetup ? html`<span class="badge warn">Needs setup</span>` : html`<span class="badge off">Off</span>`}</td>
        <td>${member.userId !== me.id && html`<span class="actions">
          ${member.twoFactorEnabled && html`<button type="button" onClick=${() => reset(member)} aria-disabled=${change.busy} aria-label=${`Reset 2FA of ${member.email}`}>Reset 2FA</button>`}
          <button type="button" class="danger" onClick=${() => remove(member)} aria-disabled=${change.busy} aria-label=${`Remove ${member.email}`}>Remove</button>
        </span>`}</td>
      </tr>`)}</tbody>
    </table>`}
    <${Problem} error=${change.error} />
    <p role="status">${notice}</p>
  </section>`;
}
