import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { AddKey } from "../parts/security-keys.js";
import { useConsole } from "../context.js";
import { TotpSetup } from "../parts/totp-setup.js";
import type { MyTeam, Page, User } from "../types.js";

/**
 * A user held to setup (`setup_required`, a setup-scoped session): only the enrollment calls work
 * until a factor is on, so only they are shown, with why.
 */
export function SetupOnly({ user }: { user: User }) {
  const app = useConsole();
  const teams = user.twoFactor.enforcedBy;
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    void api.get<Page<MyTeam>>("/v1/me/teams?limit=100")
      .then((page) => setNames(page.items.filter((item) => teams.includes(item.team.id)).map((item) => item.team.name)))
      .catch(() => setNames([]));
  }, [teams.join()]);
  return html`<h1>Set up two-factor authentication</h1>
    <section class="card attention" aria-labelledby="why-title">
      <h2 id="why-title">Why am I seeing this?</h2>
      <p>${teams.length === 1 ? "A team you belong to requires" : `${teams.length} teams you belong to require`} every member to use
        two-factor authentication. Set up an authenticator app or a security key to continue; the rest of your account opens once one is on.</p>
      ${names.length > 0 && html`<p class="hint">${names.length === 1 ? "Team" : "Teams"}: ${names.join(", ")}</p>`}
    </section>
    <section class="card" aria-labelledby="setup-totp-title">
      <h2 id="setup-totp-title">Authenticator app</h2>
      <${TotpSetup} />
    </section>
    <section class="card" aria-labelledby="setup-key-title">
      <h2 id="setup-key-title">Security key</h2>
      <p>Or use a physical key (YubiKey, Titan, …) you touch to sign in.</p>
      <${AddKey} onAdded=${app.refreshUser} />
    </section>`;
}
