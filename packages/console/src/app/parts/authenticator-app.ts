import { useState } from "preact/hooks";
import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { TotpSetup } from "./totp-setup.js";
import { value } from "../screens/sign-up.js";

/** The authenticator app: set it up, or turn it off with a current code (or a recovery code). */
export function AuthenticatorApp({ user }: { user: User }) {
  const app = useConsole();
  const on = user.twoFactor.methods.includes("totp");
  const [code, setCode] = useState("");
  const [removing, setRemoving] = useState(false);
  const action = useAction();

  const remove = async (event: Event) => {
    event.preventDefault();
    if (await action.run(() => api.delete("/v1/me/totp", { code: code.trim() }))) {
      setRemoving(false);
      setCode("");
      await app.refreshUser();
    }
  };

  return html`<section class="card" aria-labelledby="totp-title">
    <h2 id="totp-title">Authenticator app</h2>
    ${!on ? html`<${TotpSetup} />` : html`<p><span class="badge on">On</span> Codes from your authenticator app sign you in.</p>
      ${removing
        ? html`<form onSubmit=${remove}>
            <label>Current code or a recovery code <input name="remove-code" autocomplete="one-time-code" required value=${code}
              onInput=${(e: Event) => setCode(value(e))} /></label>
            <${Problem} error=${action.error} />
            <div class="actions">
              <button type="submit" class="danger" disabled=${action.busy}>Turn off authenticator app</button>
              <button type="button" onClick=${() => setRemoving(false)}>Cancel</button>
            </div>
          </form>`
        : html`<button type="button" onClick=${() => setRemoving(true)}>Turn off…</button>`}`}
  </section>`;
}
