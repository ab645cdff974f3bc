import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "./api.js";
import { Console, type ConfirmRequest, type ConsoleContext, type ReauthRequest } from "./context.js";
import { html } from "./html.js";
import { ConfirmDialog } from "./parts/confirm-dialog.js";
import { Problem } from "./parts/problem.js";
import { ReauthDialog } from "./parts/reauth-dialog.js";
import { RecoveryCodesDialog } from "./parts/recovery-codes-dialog.js";
import { ScreenHeading } from "./parts/screen-heading.js";
import { TopBar } from "./parts/top-bar.js";
import { routeScreen, useRoute } from "./routes.js";
import { SetupOnly } from "./screens/setup-only.js";
import { SignIn } from "./screens/sign-in.js";
import { SignUp } from "./screens/sign-up.js";
import { session } from "./session.js";
import type { Session, User } from "./types.js";

const SESSION_ENDED = "Your session ended: it expired, or you signed out in another tab. Sign in again.";
const RESET_TOOK_EFFECT = "Your session ended: the reset of your two-factor authentication that a team admin asked for took effect. Sign in to set it up again.";
const RESET_MAY_HAVE = "Your session ended, perhaps because the reset of your two-factor authentication that a team admin asked for took effect. Sign in again: if it did, you set it up anew.";
export const NOW_HELD = "A team now requires you to set up two-factor authentication before you go on.";

interface Pending<T, R> { request: T; resolve: (answer: R) => void }

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<User | null>(null);
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(session.token() !== null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [codes, setCodes] = useState<{ codes: string[]; because: "turned_on" | "regenerated" } | null>(null);
  const [reauth, setReauth] = useState<Pending<ReauthRequest, boolean> | null>(null);
  const [question, setQuestion] = useState<Pending<ConfirmRequest, boolean> | null>(null);
  const known = useRef<User | null>(null); // the user as last read, for handlers created before the latest render
  known.current = user;
  const latestRead = useRef(0); // reads of the user overlap (a navigation, a change): only the latest one's answer counts

  const signedOut = (reason?: string) => {
    session.clear();
    setUser(null);
    setCodes(null);
    setReauth(null);
    setQuestion(null);
    setNotice(reason ?? null);
    location.hash = "#/sign-in";
  };
  const sessionEnded = () => {
    if (!session.token()) return; // several reads under way may each be refused: the first says why
    // The API says only "unauthenticated"; a reset known to be pending is the likely cause (this browser's clock may differ from the server's).
    const reset = known.current?.twoFactor.pendingReset;
    signedOut(!reset ? SESSION_ENDED : Date.parse(reset.effectiveAt) <= Date.now() ? RESET_TOOK_EFFECT : RESET_MAY_HAVE);
  };
  const refreshUser = async () => {
    const asked = session.token();
    const read = ++latestRead.current;
    try {
      const { user: fresh } = await api.get<{ user: User }>("/v1/me");
      // The session ended (or another began) while this read was under way, or a later read started: an older answer would undo a newer one.
      if (session.token() !== asked || read !== latestRead.current) return;
      if (fresh.twoFactor.needsSetup && known.current && !known.current.twoFactor.needsSetup) setNotice(NOW_HELD);
      setUser(fresh);
      setLoadError(null);
    } catch (failure) {
      if (session.token() !== asked) return;
      if (failure instanceof ApiError && failure.code === "unauthenticated") sessionEnded();
      else setLoadError(failure as ApiError);
    }
  };
  const changed = async () => {
    await refreshUser();
    setVersion((v) => v + 1);
  };
  useEffect(() => {
    if (session.token()) void refreshUser().finally(() => setLoading(false));
  }, []);
  // A hold, a reset or an ended session that began elsewhere shows on the next navigation, or when the person comes back to the tab.
  useEffect(() => {
    if (session.token() && !loading) void refreshUser();
  }, [route]);
  useEffect(() => {
    const back = () => { if (document.visibilityState === "visible" && session.token()) void changed(); };
    document.addEventListener("visibilitychange", back);
    return () => document.removeEventListener("visibilitychange", back);
  }, []);

  const context: ConsoleContext = {
    user,
    version,
    refreshUser,
    changed,
    signedOut,
    sessionEnded,
    showRecoveryCodes: (fresh, because) => setCodes({ codes: fresh, because }),
    reauthenticate: (request = {}) => new Promise<boolean>((resolve) => setReauth({ request, resolve })),
    confirm: (request) => new Promise<boolean>((resolve) => setQuestion({ request, resolve })),
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
      ? html`<${ScreenHeading} title="The console could not load" />
          <${Problem} error=${loadError} />
          <p><button type="button" onClick=${() => { setLoadError(null); signedOut(); }}>Sign in again</button></p>`
      : route === "/sign-up"
        ? html`<${SignUp} onCreated=${(created: string) => { setEmail(created); setNotice("Account created. Sign in to continue."); location.hash = "#/sign-in"; }} />`
        : html`<${SignIn} email=${email} notice=${notice} onSignedIn=${signedIn} />`;
  } else if (user.twoFactor.needsSetup) screen = html`<${SetupOnly} user=${user} notice=${notice} />`;
  else screen = routeScreen(route, user);

  return html`<${Console.Provider} value=${context}>
    <${TopBar} user=${user} route=${route} onSignOut=${signOut} />
    <main id="main" tabindex="-1">${screen}</main>
    ${codes && html`<${RecoveryCodesDialog} codes=${codes.codes} because=${codes.because} onDone=${() => setCodes(null)} />`}
    ${question && html`<${ConfirmDialog} request=${question.request} onDone=${(yes: boolean) => { setQuestion(null); question.resolve(yes); }} />`}
    ${reauth && user && html`<${ReauthDialog} methods=${user.twoFactor.methods} reason=${reauth.request.reason}
      onDone=${(proved: boolean) => { setReauth(null); reauth.resolve(proved); }} />`}
  <//>`;
}
