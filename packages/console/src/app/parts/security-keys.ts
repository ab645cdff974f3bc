import { startRegistration } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { SecurityKey, SecurityKeyList, SecurityKeyRegistered } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { value } from "./value.js";
import { when } from "./when.js";

/** Physical security keys (FIDO2/WebAuthn): add one through the browser's own prompt, rename, remove. */
export function SecurityKeys() {
  const app = useConsole();
  const [keys, setKeys] = useState<SecurityKey[] | null>(null);
  const load = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    void load.read(async () => setKeys((await api.get<SecurityKeyList>("/v1/me/security-keys")).items));
  }, [app.version]);

  return html`<section aria-labelledby="keys-title">
    <h2 id="keys-title" ref=${heading} tabindex="-1">Security keys</h2>
    <p>A physical key (YubiKey, Titan, …) you plug in or hold to your phone and touch to sign in. Unlike a code, it cannot be phished.</p>
    <${Problem} error=${load.error} />
    ${keys && keys.length > 0 && html`<ul class="rows" aria-label="Your security keys">
      ${keys.map((key) => html`<${KeyRow} key=${key.id} securityKey=${key} onRemoved=${() => heading.current?.focus()} />`)}
    </ul>`}
    ${keys && keys.length === 0 && html`<p>No security keys yet.</p>`}
    <h3>Add a security key</h3>
    <${AddKey} />
  </section>`;
}

/** Registering a key: its name, then the browser's own WebAuthn prompt. Also a setup step (a key alone turns 2FA on). */
export function AddKey() {
  const app = useConsole();
  const [name, setName] = useState("");
  const action = useAction();
  const add = async (event: Event) => {
    event.preventDefault();
    const added = await action.run(async () => {
      const { options } = await api.post<{ options: Parameters<typeof startRegistration>[0]["optionsJSON"] }>("/v1/me/security-keys/options");
      const response = await startRegistration({ optionsJSON: options });
      return api.post<SecurityKeyRegistered>("/v1/me/security-keys", { name: name.trim(), response });
    });
    if (!added) return;
    setName("");
    if (added.recoveryCodes) app.showRecoveryCodes(added.recoveryCodes, "turned_on");
    await app.changed();
  };
  return html`<form onSubmit=${add}>
    <p class="hint">Name the key, press the button, then insert the key and touch it when it blinks.</p>
    <div class="inline">
      <label>Key name <input name="key-name" required maxlength="64" placeholder="e.g. Blue YubiKey" value=${name}
        onInput=${(e: Event) => setName(value(e))} /></label>
      <button type="submit" class="primary" aria-disabled=${action.busy}>Add security key</button>
    </div>
    <p role="status">${action.busy ? "Touch your security key when it blinks." : ""}</p>
    <${Problem} error=${action.error} />
  </form>`;
}

function KeyRow({ securityKey, onRemoved }: { securityKey: SecurityKey; onRemoved: () => void }) {
  const app = useConsole();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(securityKey.name);
  const action = useAction();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => { if (renaming) field.current?.focus(); }, [renaming]);
  const rename = async (event: Event) => {
    event.preventDefault();
    if (await action.run(() => api.patch(`/v1/me/security-keys/${seg(securityKey.id)}`, { name: name.trim() }))) {
      setRenaming(false);
      await app.changed();
    }
  };
  const remove = async () => {
    const sure = await app.confirm({
      title: `Remove ${securityKey.name}?`,
      body: "It will no longer sign you in, and your remembered devices are forgotten. Removing your last method turns two-factor authentication off.",
      confirm: "Remove key",
    });
    if (!sure || !(await action.run(() => api.delete(`/v1/me/security-keys/${seg(securityKey.id)}`)))) return;
    onRemoved();
    await app.changed();
  };
  return html`<li>
    ${renaming
      ? html`<form class="inline" onSubmit=${rename}>
          <label>New name for ${securityKey.name} <input ref=${field} name="new-key-name" required maxlength="64" value=${name}
            onInput=${(e: Event) => setName(value(e))} /></label>
          <button type="submit" class="primary" aria-disabled=${action.busy}>Save</button>
          <button type="button" onClick=${() => setRenaming(false)}>Cancel</button>
        </form>`
      : html`<div class="row">
          <span><strong>${securityKey.name}</strong>
            <span class="hint"> added ${when(securityKey.createdAt)}, last used ${when(securityKey.lastUsedAt)}</span>
            ${securityKey.cloneDetectedAt && html`<span class="badge warn">Refused: it may have been copied. Remove it.</span>`}</span>
          <span class="actions">
            <button type="button" onClick=${() => setRenaming(true)} aria-label=${`Rename ${securityKey.name}`}>Rename</button>
            <button type="button" class="danger" onClick=${remove} aria-disabled=${action.busy} aria-label=${`Remove ${securityKey.name}`}>Remove</button>
          </span>
        </div>`}
    <${Problem} error=${action.error} />
  </li>`;
}
