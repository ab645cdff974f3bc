import { useEffect, useRef, useState } from "preact/hooks";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { User } from "../types.js";
import { useMyTeams } from "./my-teams.js";
import { when } from "./when.js";

/**
 * A reset of the user's 2FA that a team admin asked for: it takes effect at `effectiveAt` unless the
 * user proves a second factor first, which is what "Cancel: verify it's you" asks for.
 */
export function PendingReset({ user }: { user: User }) {
  const app = useConsole();
  const { teams } = useMyTeams();
  const [cancelled, setCancelled] = useState(false);
  const done = useRef<HTMLHeadingElement>(null);
  useEffect(() => { if (cancelled) done.current?.focus(); }, [cancelled]);
  const reset = user.twoFactor.pendingReset;

  if (!reset) {
    return cancelled && html`<section class="card" aria-labelledby="reset-cancelled-title">
      <h2 id="reset-cancelled-title" ref=${done} tabindex="-1">The reset is cancelled</h2>
      <p role="status">Your two-factor authentication stays as it is.</p>
    </section>`;
  }
  const team = teams?.find((mine) => mine.team.id === reset.teamId)?.team.name;
  const cancel = async () => {
    const proved = await app.reauthenticate({ reason: "A code from your authenticator app, a security key or a recovery code shows you still have them, and cancels the reset." });
    if (!proved) return;
    await app.changed();
    setCancelled(true);
  };
  return html`<section class="card attention" aria-labelledby="pending-reset-title">
    <h2 id="pending-reset-title">A reset of your two-factor authentication is pending</h2>
    <p>An admin of ${team ?? "one of your teams"} asked for it, as after a lost phone. On ${when(reset.effectiveAt)} your authenticator app,
      security keys, recovery codes and remembered devices will be removed and you will be signed out.</p>
    <p>Still have your phone or key? Then cancel it by verifying it's you.</p>
    <button type="button" class="primary" onClick=${cancel}>Cancel: verify it's you</button>
  </section>`;
}
