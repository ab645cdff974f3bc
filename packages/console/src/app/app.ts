import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "./api.js";
import { Console, type ConsoleContext } from "./context.js";
import { html } from "./html.js";
import { Problem } from "./parts/problem.js";
import { ReauthDialog } from "./parts/reauth-dialog.js";
import { RecoveryCodesPanel } from "./parts/recovery-codes-panel.js";
import { AuditLog } from "./screens/audit-log.js";
import { SecuritySettings } from "./screens/security-settings.js";
import { SetupOnly } from "./screens/setup-only.js";
import { SignIn } from "./screens/sign-in.js";
import { SignUp } from "./screens/sign-up.js";
import { Team } from "./screens/team.js";
import { Teams } from "./screens/teams.js";
import { session } from "./session.js";
import type { Session, User } from "./types.js";

/** The hash is the route (`#/teams/<id>/audit`), so a static host serves one page for every screen. */
function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || "/");
  useEffect(() => {
    const follow = () => setRoute(location.hash.slice(1) || "/");
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(session.token() !== null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [codes, setCodes] = useState<string[] | null>(null);
  const [reauth, setReauth] = useState<((proved: boolean) => void) | null>(null);

  const signedOut = (reason?: string) => {
    session.clear();
    setUser(null);
    setCodes(null);
    setNotice(reason ?? null);
    location.hash = "#/sign-in";
  };
  const refreshUser = async () => {
    try {
      const { user: fresh } = await api.get<{ user: User }>("/v1/me");
      setUser(fresh);
      setLoadError(null);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === "unauthenticated") signedOut("Your session has ended. Sign in again.");
      else setLoadError(failure as ApiError);
    }
  };
  useEffect(() => {
    if (session.token()) void refreshUser().finally(() => setLoading(false));
  }, []);

  const context: ConsoleContext = {
    user,
    refreshUser,
    signedOut,
    showRecoveryCodes: setCodes,
    reauthenticate: () => new Promise<boolean>((resolve) => setReauth(() => resolve)),
  };
  const signedIn = (next: Session, who: User) => {
    session.set({ token: next.token, scope: next.scope });
    setUser(who);
    setNotice(null);
    location.hash = "#/";
  };
  const signOut = async () => {
    try {
      await api.post("/v1/auth/logout");
    } catch {
      // Unreachable or already ended: the session is forgotten here either way.
    }
    signedOut("You are signed out.");
  };

  let screen;
  if (loading) screen = html`<p role="status">Loading…</p>`;
  else if (!user) {
    screen = loadError
      ? html`<${Problem} error=${loadError} />
          <p><button type="button" onClick=${() => { setLoadError(null); signedOut(); }}>Sign in again</button></p>`
      : route === "/sign-up"
        ? html`<${SignUp} onCreated=${(created: string) => { setEmail(created); setNotice("Account created. Sign in to continue."); location.hash = "#/sign-in"; }} />`
        : html`<${SignIn} email=${email} notice=${notice} onSignedIn=${signedIn} />`;
  } else if (user.twoFactor.needsSetup) screen = html`<${SetupOnly} user=${user} />`;
  else screen = routeScreen(route, user);

  return html`<${Console.Provider} value=${context}>
    <header class="top">
      <a class="brand" href="#/">TwoFactor</a>
      ${user && html`<nav aria-label="Main">
        ${!user.twoFactor.needsSetup && html`<a href="#/" aria-current=${route === "/" ? "page" : undefined}>Login & security</a>
          <a href="#/teams" aria-current=${route.startsWith("/teams") ? "page" : undefined}>Teams</a>`}
        <span class="who">${user.name} (${user.email})</span>
        <button type="button" onClick=${signOut}>Sign out</button>
      </nav>`}
    </header>
    <main id="main">
      ${codes && html`<${RecoveryCodesPanel} codes=${codes} onDone=${() => setCodes(null)} />`}
      ${screen}
    </main>
    ${reauth && user && html`<${ReauthDialog} methods=${user.twoFactor.methods} onDone=${(proved: boolean) => { reauth(proved); setReauth(null); }} />`}
  <//>`;
}

function routeScreen(route: string, user: User) {
  const team = /^\/teams\/([^/]+)(\/audit)?$/.exec(route);
  if (team) {
    const teamId = decodeURIComponent(team[1]!);
    return team[2] ? html`<${AuditLog} key=${teamId} teamId=${teamId} />` : html`<${Team} key=${teamId} user=${user} teamId=${teamId} />`;
  }
  if (route === "/teams") return html`<${Teams} />`;
  return html`<${SecuritySettings} user=${user} />`;
}
