import { html } from "../html.js";
import { AuthenticatorApp } from "../parts/authenticator-app.js";
import { PendingReset } from "../parts/pending-reset.js";
import { RecoveryCodes } from "../parts/recovery-codes.js";
import { ScoreCard } from "../parts/score-card.js";
import { SecurityKeys } from "../parts/security-keys.js";
import { SecurityLog } from "../parts/security-log.js";
import { TrustedDevices } from "../parts/trusted-devices.js";
import type { User } from "../types.js";

const METHOD_WORDS: Record<string, string> = { totp: "a code from your app", webauthn: "your security key", recovery_code: "a recovery code" };

/** Login & security: the status, the score, every factor, the devices and the log on one page. */
export function SecuritySettings({ user }: { user: User }) {
  const { enabled, methods } = user.twoFactor;
  return html`<h1>Login & security</h1>
    <${PendingReset} user=${user} />
    <section class="card" aria-labelledby="status-title">
      <h2 id="status-title">Two-factor authentication</h2>
      <p>${enabled
        ? html`<span class="badge on">On</span> Signing in asks for ${methods.map((m) => METHOD_WORDS[m]).join(", or ")}.`
        : html`<span class="badge off">Off</span> Anyone with your password can sign in. Set up an authenticator app or a security key below.`}</p>
    </section>
    <${ScoreCard} user=${user} />
    <${AuthenticatorApp} user=${user} />
    <${SecurityKeys} user=${user} />
    <${RecoveryCodes} user=${user} />
    <${TrustedDevices} />
    <${SecurityLog} />`;
}
