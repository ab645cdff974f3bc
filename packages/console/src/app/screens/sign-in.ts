import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { Problem } from "../parts/problem.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { value } from "../parts/value.js";
import type { Session, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Challenge, type Method } from "./challenge.js";

type Login =
  | { status: "authenticated" | "setup_required"; session: Session; user: User }
  | { status: "two_factor_required"; challenge: { id: string; expiresAt: string; methods: Method[] } };

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
    <${ScreenHeading} id="sign-in-title" title="Sign in" />
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <form onSubmit=${submit}>
      <label>Email <input name="email" type="email" autocomplete="username" required value=${email} onInput=${(e: Event) => setEmail(value(e))} /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required value=${password}
        onInput=${(e: Event) => setPassword(value(e))} /></label>
      <${Problem} error=${action.error} />
      <button type="submit" class="primary" aria-disabled=${action.busy}>Sign in</button>
    </form>
    <p>New here? <a href="#/sign-up">Create an account</a></p>
  </section>`;
}
