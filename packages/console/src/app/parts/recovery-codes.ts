import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";

/**
 * How many recovery codes are left, and a new set: `POST /v1/me/recovery-codes` without a body
 * needs a recent second factor, so a stale session gets the reauthentication prompt first.
 */
export function RecoveryCodes({ user }: { user: User }) {
  const app = useConsole();
  const action = useAction();
  const regenerate = async () => {
    const fresh = await action.run(() => api.post<{ recoveryCodes: string[] }>("/v1/me/recovery-codes"));
    if (!fresh) return;
    app.showRecoveryCodes(fresh.recoveryCodes);
    await app.refreshUser();
  };
  return html`<section class="card" aria-labelledby="recovery-title">
    <h2 id="recovery-title">Recovery codes</h2>
    ${user.twoFactor.enabled
      ? html`<p>${user.recoveryCodesRemaining} of 10 unused. Generating a new set makes the old codes stop working.</p>
          <${Problem} error=${action.error} />
          <button type="button" onClick=${regenerate} disabled=${action.busy}>Generate new recovery codes</button>`
      : html`<p>You get recovery codes when you turn on two-factor authentication.</p>`}
  </section>`;
}
