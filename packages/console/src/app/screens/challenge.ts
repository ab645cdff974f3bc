import { startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import { Problem } from "../parts/problem.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { value } from "../parts/value.js";
import type { Session, User } from "../types.js";
import { useAction } from "../use-action.js";

export type Method = "totp" | "webauthn" | "recovery_code";

const METHOD_NAMES: Record<Method, string> = { totp: "Authenticator app", webauthn: "Security key", recovery_code: "Recovery code" };

/**
 * The second step of signing in: one of the factors the user has, each with its own input (a
 * recovery code is letters and a hyphen, not six digits), and "remember this device".
 */
export function Challenge({ challenge, onSignedIn, onRestart }: {
  challenge: { id: string; methods: Method[] }; onSignedIn: (session: Session, user: User) => void; onRestart: () => void;
}) {
  const [method, setMethod] = useState<Method>(challenge.methods[0]!);
  const [remember, setRemember] = useState(false);
  const action = useAction();
  const base = `/v1/auth/challenges/${seg(challenge.id)}`;
  const first = useRef<HTMLElement>(null);
  useEffect(() => first.current?.focus(), []);

  const finish = (answer: { session: Session; user: User } | undefined) => answer && onSignedIn(answer.session, answer.user);
  const sendCode = async (path: string, code: string) =>
    finish(await action.run(() => api.post<{ session: Session; user: User }>(`${base}/${path}`, { code, rememberDevice: remember })));
  const useKey = async () => {
    finish(await action.run(async () => {
      const { options } = await api.post<{ options: Parameters<typeof startAuthentication>[0]["optionsJSON"] }>(`${base}/webauthn/options`);
      const response = await startAuthentication({ optionsJSON: options });
      return api.post<{ session: Session; user: User }>(`${base}/webauthn`, { response, rememberDevice: remember });
    }));
  };

  const rememberBox = html`<label class="check"><input type="checkbox" name="remember" checked=${remember}
    onChange=${(e: Event) => setRemember((e.currentTarget as HTMLInputElement).checked)} /> Remember this device for 30 days</label>`;
  const chosen = {
    totp: html`<${CodeForm} key="totp" first=${first} label="Authentication code" name="totp-code" numeric
      hint="The 6-digit code your authenticator app shows now." onCode=${(code: string) => sendCode("totp", code.replace(/\s/g, ""))}
      busy=${action.busy}>${rememberBox}<${Problem} error=${action.error} /><//>`,
    recovery_code: html`<${CodeForm} key="recovery" first=${first} label="Recovery code" name="recovery-code"
      hint="One of the codes you saved when you turned on two-factor authentication, such as abcde-23456. Each works once."
      onCode=${(code: string) => sendCode("recovery-code", code.trim())} busy=${action.busy}>${rememberBox}<${Problem} error=${action.error} /><//>`,
    webauthn: html`<div class="form" key="webauthn">
      <p>Insert your security key and press the button below, then touch the key when it blinks.</p>
      ${rememberBox}
      <${Problem} error=${action.error} />
      <button type="button" class="primary" ref=${first} onClick=${useKey} aria-disabled=${action.busy}>Use security key</button>
    </div>`,
  }[method];

  return html`<section class="card narrow" aria-labelledby="challenge-title">
    <${ScreenHeading} id="challenge-title" title="Two-factor authentication" focus=${false} />
    ${challenge.methods.length > 1 && html`<fieldset class="methods">
      <legend>Verify with</legend>
      ${challenge.methods.map((m) => html`<label class="choice"><input type="radio" name="method" value=${m} checked=${m === method}
        onChange=${() => { setMethod(m); action.clear(); }} /> ${METHOD_NAMES[m]}</label>`)}
    </fieldset>`}
    ${chosen}
    <p><button type="button" class="link" onClick=${onRestart}>Start over</button></p>
  </section>`;
}

/** One code's form: its own input element (keyed by method), so nothing of one method's input — a `pattern` — carries over to another's. */
function CodeForm({ first, label, name, numeric = false, hint, onCode, busy, children }: {
  first: { current: HTMLElement | null }; label: string; name: string; numeric?: boolean; hint: string;
  onCode: (code: string) => void; busy: boolean; children: unknown;
}) {
  const [code, setCode] = useState("");
  const submit = (event: Event) => {
    event.preventDefault();
    onCode(code);
  };
  const digits = numeric ? { inputmode: "numeric", pattern: "\\s*[0-9]{3}\\s?[0-9]{3}\\s*", title: "6 digits" } : { autocapitalize: "off", spellcheck: false };
  return html`<form onSubmit=${submit}>
    <label>${label} <input ref=${first} name=${name} autocomplete="one-time-code" required aria-describedby=${`${name}-hint`} ...${digits}
      value=${code} onInput=${(e: Event) => setCode(value(e))} /></label>
    <p id=${`${name}-hint`} class="hint">${hint}</p>
    ${children}
    <button type="submit" class="primary" aria-disabled=${busy}>Verify</button>
  </form>`;
}
