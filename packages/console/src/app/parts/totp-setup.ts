import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { TotpEnrollment } from "../types.js";
import { useAction } from "../use-action.js";
import { AppLinks } from "./app-links.js";
import { Problem } from "./problem.js";
import { value } from "./value.js";

/**
 * Setting up an authenticator app, in the product brief's steps: install an app (or open
 * 1Password), "Next - Scan barcode and verify", scan (or type the key), "Verify". `POST /v1/me/totp`
 * starts (or restarts) the enrollment; `…/activate` turns it on and answers the recovery codes.
 */
export function TotpSetup() {
  const app = useConsole();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState("");
  const action = useAction();
  const scan = useRef<HTMLHeadingElement>(null);
  useEffect(() => { if (enrollment) scan.current?.focus(); }, [enrollment !== null]);

  const start = async () => {
    const started = await action.run(() => api.post<TotpEnrollment>("/v1/me/totp"));
    if (started) setEnrollment(started);
  };
  const verify = async (event: Event) => {
    event.preventDefault();
    const activated = await action.run(() => api.post<{ recoveryCodes: string[] }>("/v1/me/totp/activate", { code: code.replace(/\s/g, "") }));
    if (!activated) return;
    app.showRecoveryCodes(activated.recoveryCodes, "turned_on");
    await app.changed();
  };

  if (!enrollment) {
    return html`<div class="form">
      <p>Install an authenticator app on your phone, or open 1Password. It shows a new 6-digit code every 30 seconds, which you type when you sign in.</p>
      <${AppLinks} />
      <${Problem} error=${action.error} />
      <p><button type="button" class="go" onClick=${start} aria-disabled=${action.busy}>Next - Scan barcode and verify</button></p>
    </div>`;
  }
  return html`<ol class="steps">
    <li>
      <h3 ref=${scan} tabindex="-1">Scan the barcode</h3>
      <p>In your authenticator app, add an account and scan this barcode with your phone's camera.</p>
      <img class="qr" src=${enrollment.qrCode} width="200" height="200" alt="QR code to scan with your authenticator app" />
      <details>
        <summary>Can't scan it? Type the key instead</summary>
        <p>Choose “enter a setup key” in your app, then type this key (spaces do not matter), time-based, 6 digits:</p>
        <p><code class="secret" aria-label="Setup key">${enrollment.secret.replace(/(.{4})/g, "$1 ").trim()}</code></p>
      </details>
      <p class="hint">Using 1Password? Edit this site's login, add a “One-Time Password” field and scan the barcode with it (or paste the key): 1Password then fills the code for you.</p>
    </li>
    <li>
      <h3>Enter the code</h3>
      <form onSubmit=${verify}>
        <label>Verification code <input name="totp-code" inputmode="numeric" autocomplete="one-time-code" required
          pattern="\\s*[0-9]{3}\\s?[0-9]{3}\\s*" title="6 digits" aria-describedby="verify-hint" value=${code} onInput=${(e: Event) => setCode(value(e))} /></label>
        <p id="verify-hint" class="hint">The 6 digits your app shows for this account now.</p>
        <${Problem} error=${action.error} />
        <div class="actions">
          <button type="submit" class="go" aria-disabled=${action.busy}>Verify</button>
          <button type="button" onClick=${() => { setEnrollment(null); setCode(""); action.clear(); }}>Cancel</button>
        </div>
      </form>
    </li>
  </ol>`;
}
