import { useState } from "preact/hooks";
import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { TotpEnrollment } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { value } from "../screens/sign-up.js";

/**
 * Setting up an authenticator app, as the product brief walks it: scan the QR code (or type the key,
 * or let 1Password fill it), then confirm with a code. `POST /v1/me/totp` starts (or restarts) the
 * enrollment; `POST /v1/me/totp/activate` turns it on and answers the recovery codes, shown once.
 */
export function TotpSetup() {
  const app = useConsole();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState("");
  const action = useAction();

  const start = async () => {
    const started = await action.run(() => api.post<TotpEnrollment>("/v1/me/totp"));
    if (started) setEnrollment(started);
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    const activated = await action.run(() => api.post<{ recoveryCodes: string[] }>("/v1/me/totp/activate", { code: code.replace(/\s/g, "") }));
    if (!activated) return;
    setEnrollment(null);
    app.showRecoveryCodes(activated.recoveryCodes);
    await app.refreshUser();
  };

  if (!enrollment) {
    return html`<div class="form">
      <p>Use an app on your phone such as Google Authenticator, Microsoft Authenticator or 1Password to get a new code every 30 seconds.</p>
      <${Problem} error=${action.error} />
      <button type="button" class="primary" onClick=${start} disabled=${action.busy}>Set up authenticator app</button>
    </div>`;
  }
  return html`<ol class="steps">
    <li>
      <p>Scan this QR code with your authenticator app.</p>
      <img class="qr" src=${enrollment.qrCode} width="200" height="200" alt="QR code to scan with your authenticator app" />
      <details>
        <summary>Can't scan it? Type the key instead</summary>
        <p>Choose “enter a setup key” in your app, then type this key (spaces do not matter), time-based, 6 digits:</p>
        <p><code class="secret" aria-label="Setup key">${enrollment.secret.replace(/(.{4})/g, "$1 ").trim()}</code></p>
      </details>
      <p class="hint">Using 1Password? Edit this site's login, add a “One-Time Password” field and use its QR scanner (or paste the key): 1Password then fills the code for you when you sign in.</p>
    </li>
    <li>
      <form onSubmit=${confirm}>
        <label>Code from the app <input name="code" inputmode="numeric" autocomplete="one-time-code" required pattern="[0-9 ]{6,7}"
          value=${code} onInput=${(e: Event) => setCode(value(e))} /></label>
        <${Problem} error=${action.error} />
        <button type="submit" disabled=${action.busy}>Confirm</button>
      </form>
    </li>
  </ol>`;
}
