import { useState } from "preact/hooks";
import { html } from "../html.js";
import { AuthenticatorApp } from "../parts/authenticator-app.js";
import { PendingReset } from "../parts/pending-reset.js";
import { RecoveryCodes } from "../parts/recovery-codes.js";
import { ScoreCard } from "../parts/score-card.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { SecurityKeys } from "../parts/security-keys.js";
import { SecurityLog } from "../parts/security-log.js";
import { Tabs } from "../parts/tabs.js";
import { TeamEnforcement } from "../parts/team-enforcement.js";
import { TrustedDevices } from "../parts/trusted-devices.js";
import type { User } from "../types.js";

const METHOD_WORDS: Record<string, string> = { totp: "a code from your app", webauthn: "your security key", recovery_code: "a recovery code" };

/**
 * Login & security, as the brief lays it out: the score, the "Two-factor Authentication" and
 * "Security Keys" tabs, remembered devices, "Enforce 2FA for your Team", and the log.
 */
export function SecuritySettings({ user }: { user: User }) {
  const [tab, setTab] = useState("two-factor");
  const { enabled, methods } = user.twoFactor;
  const twoFactor = () => html`<p class="status">${enabled
      ? html`<span class="badge on">On</span> Signing in asks for ${methods.map((m) => METHOD_WORDS[m]).join(", or ")}.`
      : html`<span class="badge off">Off</span> Anyone with your password can sign in. Set up an authenticator app below, or a security key.`}</p>
    <${AuthenticatorApp} user=${user} />
    <${RecoveryCodes} user=${user} />`;
  return html`<${ScreenHeading} title="Login & security" />
    <${PendingReset} user=${user} />
    <${ScoreCard} user=${user} />
    <section class="card" aria-label="Sign-in methods">
      <${Tabs} label="Sign-in methods" selected=${tab} onSelect=${setTab} tabs=${[
        { id: "two-factor", title: "Two-factor Authentication", panel: twoFactor },
        { id: "security-keys", title: "Security Keys", panel: () => html`<${SecurityKeys} />` },
      ]} />
    </section>
    <${TrustedDevices} />
    <${TeamEnforcement} user=${user} />
    <${SecurityLog} />`;
}
