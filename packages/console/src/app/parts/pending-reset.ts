import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { User } from "../types.js";

/**
 * A reset of the user's 2FA that a team admin asked for: it takes effect at `effectiveAt` unless the
 * user proves a second factor first — which is exactly what the reauthentication prompt does.
 */
export function PendingReset({ user }: { user: User }) {
  const app = useConsole();
  const reset = user.twoFactor.pendingReset;
  if (!reset) return null;
  const cancel = async () => {
    if (await app.reauthenticate()) await app.refreshUser();
  };
  return html`<section class="card attention" aria-labelledby="pending-reset-title">
    <h2 id="pending-reset-title">A reset of your two-factor authentication is pending</h2>
    <p>An admin of one of your teams asked for it (a lost phone). On ${new Date(reset.effectiveAt).toLocaleString()} your
      authenticator app, security keys, recovery codes and remembered devices will be removed and you will be signed out.</p>
    <p>Still have your phone or key? Then it was not you who lost it: cancel the reset by verifying it's you.</p>
    <button type="button" class="primary" onClick=${cancel}>Cancel: verify it's you</button>
  </section>`;
}
