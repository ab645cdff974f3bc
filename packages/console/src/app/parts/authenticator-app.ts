import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { TotpSetup } from "./totp-setup.js";
import { value } from "./value.js";

/** The authenticator app: set it up in the brief's steps, or turn it off with a current code (or a recovery code). */
export function AuthenticatorApp({ user }: { user: User }) {
  const app = useConsole();
  const on = user.twoFactor.methods.includes("totp");
  const [code, setCode] = useState("");
  const [removing, setRemoving] = useState(false);
  const action = useAction();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => { if (removing) field.current?.focus(); }, [removing]);

  const remove = async (event: Event) => {
    event.preventDefault();
    if (await action.run(() => api.delete("/v1/me/totp", { code: code.trim() }))) {
      setRemoving(false);
      setCode("");
      await app.changed();
    }
  };

  return html`<section aria-labelledby="totp-title">
    <h2 id="totp-title">Authenticator app</h2>
    ${!on ? html`<${TotpSetup} />` : html`<p><span class="badge on">On</span> Codes from your authenticator app sign you in.</p>
      ${removing
        ? html`<form onSubmit=${remove}>
            <p>Turning it off also forgets your remembered devices${user.twoFactor.methods.includes("webauthn") ? "" : ", and with no security key it turns two-factor authentication off"}.</p>
            <label>Current code, or a recovery code <input ref=${field} name="remove-code" autocomplete="one-time-code" autocapitalize="off" required value=${code}
              onInput=${(e: Event) => setCode(value(e))} /></label>
            <${Problem} error=${action.error} />
            <div class="actions">
              <button type="submit" class="danger" aria-disabled=${action.busy}>Turn off the authenticator app</button>
              <button type="button" onClick=${() => { setRemoving(false); action.clear(); }}>Cancel</button>
            </div>
          </form>`
        : html`<button type="button" onClick=${() => setRemoving(true)}>Turn off…</button>`}`}
  </section>`;
}
