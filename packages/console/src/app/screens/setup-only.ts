import { html } from "../html.js";
import { useMyTeams } from "../parts/my-teams.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { AddKey } from "../parts/security-keys.js";
import { TotpSetup } from "../parts/totp-setup.js";
import type { User } from "../types.js";

/**
 * A user held to setup (a team enforces 2FA and they have none): only the enrollment calls work
 * until a factor is on, so only they are shown, with which team asks and why.
 */
export function SetupOnly({ user, notice }: { user: User; notice: string | null }) {
  const { teams } = useMyTeams();
  const holding = user.twoFactor.enforcedBy;
  const names = teams?.filter((mine) => holding.includes(mine.team.id)).map((mine) => mine.team.name) ?? [];
  const who = names.length === 0 ? (holding.length > 1 ? `${holding.length} of your teams require` : "A team you belong to requires")
    : names.length === 1 ? `${names[0]} requires` : `Your teams ${names.slice(0, -1).join(", ")} and ${names.at(-1)} require`;
  return html`<${ScreenHeading} title="Set up two-factor authentication" />
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <section class="card attention" aria-labelledby="why-title">
      <h2 id="why-title">Why am I seeing this?</h2>
      <p>${who} every member to use two-factor authentication. Set up an authenticator app or a security key to continue:
        the rest of your account opens once one is on.</p>
    </section>
    <section class="card" aria-labelledby="setup-totp-title">
      <h2 id="setup-totp-title">Authenticator app</h2>
      <${TotpSetup} />
    </section>
    <section class="card" aria-labelledby="setup-key-title">
      <h2 id="setup-key-title">Security key</h2>
      <p>Or use a physical key (YubiKey, Titan, …) you touch to sign in.</p>
      <${AddKey} />
    </section>`;
}
