import { html } from "../html.js";
import type { User } from "../types.js";

/**
 * The skip link, the brand, and for a signed-in person the menu, who they are and Sign out. A held
 * person (setup only) gets no menu: every other screen would answer "set up 2FA first".
 */
export function TopBar({ user, route, onSignOut }: { user: User | null; route: string; onSignOut: () => void }) {
  // The hash is the route: the skip link moves focus itself instead of navigating to "#main".
  const skip = (event: Event) => {
    event.preventDefault();
    document.getElementById("main")?.focus();
  };
  return html`<a class="skip" href="#main" onClick=${skip}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/">TwoFactor</a>
      ${user && html`<nav aria-label="Main">
        ${!user.twoFactor.needsSetup && html`<a href="#/" aria-current=${route === "/" ? "page" : undefined}>Login & security</a>
          <a href="#/teams" aria-current=${route.startsWith("/teams") ? "page" : undefined}>Teams</a>`}
      </nav>
      <div class="who">
        <span><span class="name">${user.name}</span> <span class="email">${user.email}</span></span>
        <button type="button" onClick=${onSignOut}>Sign out</button>
      </div>`}
    </header>`;
}
