import { startAuthentication } from "@simplewebauthn/browser";
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { Problem } from "../parts/problem.js";
import type { Session, User } from "../types.js";
import { useAction } from "../use-action.js";
import { value } from "./sign-up.js";

type Login =
  | { status: "authenticated" | "setup_required"; session: Session; user: User }
  | { status: "two_factor_required"; challenge: { id: string; expiresAt: string; methods: Method[] } };
type Method = "totp" | "webauthn" | "recovery_code";

const METHOD_NAMES: Record<Method, string> = { totp: "Authenticator app", webauthn: "Security key", recovery_code: "Recovery code" };

/**
 * `POST /v1/auth/login`, then the challenge with one of the factors the user has. A trusted,
 * unchanged device signs in at once (the browser sends its HttpOnly cookie itself).
 */
export function SignIn({ email: initialEmail, notice, onSignedIn }: {
  email: string; notice: string | null; onSignedIn: (session: Session, user: User) => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<{ id: string; methods: Method[] } | null>(null);
  const action = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const login = await action.run(() => api.post<Login>("/v1/auth/login", { email, password }));
    if (!login) return;
    if (login.status === "two_factor_required") setChallenge(login.challenge);
    else onSignedIn(login.session, login.user);
  };

  if (challenge) {
    return html`<${Challenge} challenge=${challenge} onSignedIn=${onSignedIn} onRestart=${() => { setChallenge(null); setPassword(""); }} />`;
  }
  return html`<section class="card narrow" aria-labelledby="sign-in-title">
    <h1 id="sign-in-title">Sign in</h1>
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <form onSubmit=${submit}>
      <label>Email <input name="email" type="email" autocomplete="username" required value=${email} onInput=${(e: Event) => setEmail(value(e))} /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required value=${password}
        onInput=${(e: Event) => setPassword(value(e))} /></label>
      <${Problem} error=${action.error} />
      <button type="submit" disabled=${action.busy}>Sign in</button>
    </form>
    <p>New here? <a href="#/sign-up">Create an account</a></p>
  </section>`;
}

function Challenge({ challenge, onSignedIn, onRestart }: {
  challenge: { id: string; methods: Method[] }; onSignedIn: (session: Session, user: User) => void; onRestart: () => void;
}) {
  const [method, setMethod] = useState<Method>(challenge.methods[0]!);
  const [code, setCode] = useState("");
  const [remember, setRemember] = useState(false);
  const action = useAction();
  const base = `/v1/auth/challenges/${encodeURIComponent(challenge.id)}`;

  const finish = (answer: { session: Session; user: User } | undefined) => answer && onSignedIn(answer.session, answer.user);

  const submitCode = async (event: Event) => {
    event.preventDefault();
    const path = method === "totp" ? `${base}/totp` : `${base}/recovery-code`;
    finish(await action.run(() => api.post<{ session: Session; user: User }>(path, { code: code.trim(), rememberDevice: remember })));
  };

  const useKey = async () => {
    finish(await action.run(async () => {
      const { options } = await api.post<{ options: Parameters<typeof startAuthentication>[0]["optionsJSON"] }>(`${base}/webauthn/options`);
      const response = await startAuthentication({ optionsJSON: options });
      return api.post<{ session: Session; user: User }>(`${base}/webauthn`, { response, rememberDevice: remember });
    }));
  };

  const rememberBox = html`<label class="check"><input type="checkbox" name="remember" checked=${remember}
    onChange=${(e: Event) => setRemember((e.currentTarget as HTMLInputElement).checked)} /> Remember this device for 30 days</label>`;

  return html`<section class="card narrow" aria-labelledby="challenge-title">
    <h1 id="challenge-title">Two-factor authentication</h1>
    ${challenge.methods.length > 1 && html`<fieldset class="methods">
      <legend>Verify with</legend>
      ${challenge.methods.map((m) => html`<label class="check"><input type="radio" name="method" value=${m} checked=${m === method}
        onChange=${() => { setMethod(m); action.clear(); setCode(""); }} /> ${METHOD_NAMES[m]}</label>`)}
    </fieldset>`}
    ${method === "webauthn"
      ? html`<div class="form">
          <p>Insert your security key and press the button below, then touch the key when it blinks.</p>
          ${rememberBox}
          <${Problem} error=${action.error} />
          <button type="button" onClick=${useKey} disabled=${action.busy}>Use security key</button>
        </div>`
      : html`<form onSubmit=${submitCode}>
          ${method === "totp"
            ? html`<label>Authentication code <input name="code" inputmode="numeric" autocomplete="one-time-code" required pattern="[0-9 ]{6,7}"
                aria-describedby="code-hint" value=${code} onInput=${(e: Event) => setCode(value(e))} /></label>
                <p id="code-hint" class="hint">The 6-digit code your authenticator app shows now.</p>`
            : html`<label>Recovery code <input name="code" autocomplete="off" required aria-describedby="code-hint" value=${code}
                onInput=${(e: Event) => setCode(value(e))} /></label>
                <p id="code-hint" class="hint">One of the codes you saved when you turned on two-factor authentication. Each works once.</p>`}
          ${rememberBox}
          <${Problem} error=${action.error} />
          <button type="submit" disabled=${action.busy}>Verify</button>
        </form>`}
    <p><button type="button" class="link" onClick=${onRestart}>Start over</button></p>
  </section>`;
}
