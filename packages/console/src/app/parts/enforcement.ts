import { useEffect, useId, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { Enforcement, Member, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { allMembers, personOf, useTeamPeople } from "./team-people.js";
import { when } from "./when.js";

const POLL_MS = 1000;

export interface EnforcedTeam {
  id: string;
  name: string;
  role: "owner" | "admin" | "member" | "auditor";
}

/**
 * "Force 2FA for <team>": the green button, a confirmation that says who will be held, then the
 * rollout's progress, live. The `PUT` answers at once (202) and the fan-out flags members in the
 * background, so the card polls `GET …/enforcement` until the rollout is complete. Who still needs
 * to set up is counted from the members themselves, not from the rollout's snapshot.
 */
export function EnforcementCard({ team, me, title, level = 2, onRolledOut }: {
  team: EnforcedTeam; me: User; title: string; level?: 2 | 3; onRolledOut?: () => void;
}) {
  const app = useConsole();
  const id = useId();
  const [enforcement, setEnforcement] = useState<Enforcement | null>(null);
  const manages = team.role === "owner" || team.role === "admin";
  const people = useTeamPeople(team.id, manages, enforcement?.rollout.state === "complete" ? enforcement.rollout.completedAt : null);
  const action = useAction();
  const poll = useAction();
  const path = `/v1/teams/${seg(team.id)}/enforcement`;

  const read = async () => {
    const answer = await poll.read(() => api.get<{ enforcement: Enforcement }>(path));
    if (answer) setEnforcement(answer.enforcement);
  };
  useEffect(() => { void read(); }, [team.id, app.version]);
  const state = enforcement?.rollout.state;
  useEffect(() => {
    if (!state) return;
    if (state === "complete") {
      onRolledOut?.();
      return;
    }
    const timer = setTimeout(() => void read(), POLL_MS);
    return () => clearTimeout(timer);
  }, [enforcement]);

  const force = async () => {
    const members = await action.run(() => allMembers(team.id));
    if (!members || !(await app.confirm(forceQuestion(team.name, members)))) return;
    const answer = await action.run(() => api.put<{ enforcement: Enforcement }>(path, { enabled: true }));
    if (answer) setEnforcement(answer.enforcement);
  };
  const stop = async () => {
    const sure = await app.confirm({
      title: `Stop enforcing 2FA for ${team.name}?`,
      body: "Members may then sign in with a password alone, and those still setting up are let go.",
      confirm: `Stop enforcing 2FA for ${team.name}`,
    });
    if (!sure) return;
    const answer = await action.run(() => api.put<{ enforcement: Enforcement }>(path, { enabled: false }));
    if (answer) setEnforcement(answer.enforcement);
  };

  const Heading = `h${level}`;
  const rollout = enforcement?.rollout;
  const waiting = people.members?.filter((member) => member.needsSetup) ?? null;
  return html`<section class=${level === 2 ? "card enforce" : "enforce"} aria-labelledby=${`${id}-title`}>
    <${Heading} id=${`${id}-title`}>${title}<//>
    <${Problem} error=${poll.error} />
    ${enforcement && html`<p>${enforcement.enabled
      ? html`<span class="badge on">Enforced</span> since ${when(enforcement.enabledAt)}, by ${personOf(enforcement.enabledBy, me, people.members)}: every member must set up two-factor authentication before they can use their account.`
      : html`<span class="badge off">Not enforced</span> Members may sign in with a password alone.`}</p>
      ${rollout && rollout.state !== "complete" && html`<${Progress} id=${id} enabled=${enforcement.enabled} rollout=${rollout} />`}
      ${rollout && rollout.state === "complete" && enforcement.enabled && html`<p role="status">Rollout complete: ${rollout.membersProcessed} of ${rollout.membersTotal} members checked.</p>`}
      ${enforcement.enabled && waiting && html`<p>${waiting.length === 0
        ? "Every member has set up two-factor authentication."
        : `${waiting.length} ${waiting.length === 1 ? "member still needs" : "members still need"} to set up two-factor authentication: ${names(waiting)}.`}</p>`}
      ${manages && (me.twoFactor.enabled
        ? html`<p>${enforcement.enabled
            ? html`<button type="button" class="danger" onClick=${stop} aria-disabled=${action.busy}>Stop enforcing 2FA for ${team.name}</button>`
            : html`<button type="button" class="go" onClick=${force} aria-disabled=${action.busy}>Force 2FA for ${team.name}</button>`}</p>`
        : html`<p class="hint">To ${enforcement.enabled ? "stop enforcing" : "force"} 2FA for ${team.name}, first turn on two-factor authentication for your own account.</p>`)}
      <${Problem} error=${action.error ?? people.error} />`}
  </section>`;
}

function Progress({ id, enabled, rollout }: { id: string; enabled: boolean; rollout: Enforcement["rollout"] }) {
  const percent = rollout.membersTotal === 0 ? 0 : Math.round((rollout.membersProcessed / rollout.membersTotal) * 100);
  return html`<div class="rollout">
    <label for=${`${id}-progress`}>${enabled ? "Rolling out" : "Letting members go"}</label>
    <progress id=${`${id}-progress`} max="100" value=${percent}>${percent}%</progress>
    <p role="status">${rollout.membersProcessed} of ${rollout.membersTotal} members checked…</p>
  </div>`;
}

function forceQuestion(team: string, members: Member[]) {
  const without = members.filter((member) => !member.twoFactorEnabled);
  const body = without.length === 0
    ? `All ${members.length} members already use two-factor authentication: nobody will be held. Anyone who joins later must set it up first.`
    : `${without.length} of ${members.length} ${members.length === 1 ? "member has" : "members have"} not set up two-factor authentication: ${names(without)}. `
      + `From their next step in the console, ${without.length === 1 ? "they are" : "each is"} held to setting it up and can do nothing else until then.`;
  return { title: `Force 2FA for ${team}?`, body, confirm: `Force 2FA for ${team}`, tone: "primary" as const };
}

/** At most five emails, then how many more. */
function names(members: Member[]): string {
  const shown = members.slice(0, 5).map((member) => member.email).join(", ");
  return members.length > 5 ? `${shown} and ${members.length - 5} more` : shown;
}
