import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import type { Enforcement, Team } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { when } from "./when.js";

const POLL_MS = 1000;

/**
 * The switch that makes 2FA mandatory for the team, and the rollout's progress, live: the `PUT`
 * answers at once (202) and the fan-out flags members in the background, so the bar polls
 * `GET …/enforcement` until the rollout is complete.
 */
export function EnforcementSwitch({ team, onRolledOut }: { team: Team; onRolledOut: () => void }) {
  const [enforcement, setEnforcement] = useState<Enforcement | null>(null);
  const action = useAction();
  const poll = useAction();
  const path = `/v1/teams/${seg(team.id)}/enforcement`;
  const manages = team.role === "owner" || team.role === "admin";

  const read = async () => {
    const answer = await poll.run(() => api.get<{ enforcement: Enforcement }>(path));
    if (answer) setEnforcement(answer.enforcement);
    return answer?.enforcement;
  };
  useEffect(() => { void read(); }, [team.id]);
  const state = enforcement?.rollout.state;
  useEffect(() => {
    if (!state || state === "complete") {
      if (state === "complete") onRolledOut();
      return;
    }
    const timer = setTimeout(() => void read(), POLL_MS);
    return () => clearTimeout(timer);
  }, [enforcement]);

  const toggle = async () => {
    const answer = await action.run(() => api.put<{ enforcement: Enforcement }>(path, { enabled: !enforcement?.enabled }));
    if (answer) setEnforcement(answer.enforcement);
  };

  const rollout = enforcement?.rollout;
  const percent = rollout ? (rollout.membersTotal === 0 ? (rollout.state === "complete" ? 100 : 0) : Math.round((rollout.membersProcessed / rollout.membersTotal) * 100)) : 0;
  return html`<section class="card" aria-labelledby="enforce-title">
    <h2 id="enforce-title">Enforce 2FA for your team</h2>
    <${Problem} error=${poll.error} />
    ${enforcement && html`<p>${enforcement.enabled
      ? html`<span class="badge on">Enforced</span> since ${when(enforcement.enabledAt)}: every member must set up two-factor authentication before they can use their account.`
      : html`<span class="badge off">Not enforced</span> Members may sign in with a password alone.`}</p>
      ${manages && html`<button type="button" class=${enforcement.enabled ? "danger" : "primary"} onClick=${toggle} disabled=${action.busy}>
        ${enforcement.enabled ? `Stop enforcing 2FA for ${team.name}` : `Force 2FA for ${team.name}`}</button>`}
      <${Problem} error=${action.error} />
      ${rollout && html`<div class="rollout">
        <label for="rollout-progress">${enforcement.enabled ? "Rollout" : "Release"}: ${rollout.state}</label>
        <progress id="rollout-progress" max="100" value=${percent}>${percent}%</progress>
        <p role="status">${percent}% · ${rollout.membersProcessed} of ${rollout.membersTotal} members processed${enforcement.enabled ? `, ${rollout.membersNeedingSetup} need to set up 2FA` : ""}</p>
      </div>`}`}
  </section>`;
}
