import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";

/**
 * How many recovery codes are left, and a new set after a confirmation (the old codes stop working
 * at once). Without a body the call needs a recent second factor: a stale session is asked for one.
 */
export function RecoveryCodes({ user }: { user: User }) {
  const app = useConsole();
  const action = useAction();
  const regenerate = async () => {
    const sure = await app.confirm({
      title: "Make new recovery codes?",
      body: "Your current recovery codes stop working at once. You will see the new ones once, to save them.",
      confirm: "Make new codes",
    });
    if (!sure) return;
    const fresh = await action.run(() => api.post<{ recoveryCodes: string[] }>("/v1/me/recovery-codes"));
    if (!fresh) return;
    app.showRecoveryCodes(fresh.recoveryCodes, "regenerated");
    await app.changed();
  };
  return html`<section aria-labelledby="recovery-title">
    <h2 id="recovery-title">Recovery codes</h2>
    ${user.twoFactor.enabled
      ? html`<p>${user.recoveryCodesRemaining} of 10 unused. Each signs you in once if you lose your phone or key.</p>
          <${Problem} error=${action.error} />
          <button type="button" onClick=${regenerate} aria-disabled=${action.busy}>Generate new recovery codes</button>`
      : html`<p>You get recovery codes when you turn on two-factor authentication.</p>`}
  </section>`;
}
