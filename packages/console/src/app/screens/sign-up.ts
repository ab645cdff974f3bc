import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { Problem } from "../parts/problem.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { value } from "../parts/value.js";
import { useAction } from "../use-action.js";

/** `POST /v1/users`, then on to sign-in with the email filled in. */
export function SignUp({ onCreated }: { onCreated: (email: string) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const created = await action.run(() => api.post("/v1/users", { name, email, password }));
    if (created) onCreated(email);
  };

  return html`<section class="card narrow" aria-labelledby="sign-up-title">
    <${ScreenHeading} id="sign-up-title" title="Create an account" />
    <form onSubmit=${submit}>
      <label>Name <input name="name" autocomplete="name" required maxlength="64" value=${name} onInput=${(e: Event) => setName(value(e))} /></label>
      <label>Email <input name="email" type="email" autocomplete="email" required value=${email} onInput=${(e: Event) => setEmail(value(e))} /></label>
      <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="12" aria-describedby="password-hint"
        value=${password} onInput=${(e: Event) => setPassword(value(e))} /></label>
      <p id="password-hint" class="hint">At least 12 characters.</p>
      <${Problem} error=${action.error} />
      <button type="submit" class="primary" aria-disabled=${action.busy}>Create account</button>
    </form>
    <p>Already have an account? <a href="#/sign-in">Sign in</a></p>
  </section>`;
}
