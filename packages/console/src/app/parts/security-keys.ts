import { startRegistration } from "@simplewebauthn/browser";
import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { SecurityKey, SecurityKeyList, SecurityKeyRegistered, User } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { when } from "./when.js";
import { value } from "../screens/sign-up.js";

/** Physical security keys (FIDO2/WebAuthn): add one through the browser's own prompt, rename, remove. */
export function SecurityKeys({ user }: { user: User }) {
  const app = useConsole();
  const [keys, setKeys] = useState<SecurityKey[] | null>(null);
  const load = useAction();
  const reload = async () => {
    const list = await load.run(() => api.get<SecurityKeyList>("/v1/me/security-keys"));
    if (list) setKeys(list.items);
  };
  useEffect(() => { void reload(); }, [user.twoFactor.methods.join()]);

  const changed = async () => {
    await reload();
    await app.refreshUser();
  };

  return html`<section class="card" aria-labelledby="keys-title">
    <h2 id="keys-title">Security keys</h2>
    <p>A physical key (YubiKey, Titan, …) you touch to sign in. Unlike a code, it cannot be phished.</p>
    <${Problem} error=${load.error} />
    ${keys && keys.length > 0 && html`<ul class="rows" aria-label="Your security keys">
      ${keys.map((key) => html`<${KeyRow} key=${key.id} securityKey=${key} onChanged=${changed} />`)}
    </ul>`}
    ${keys && keys.length === 0 && html`<p>No security keys yet.</p>`}
    <${AddKey} onAdded=${changed} />
  </section>`;
}

/** Registering a key: its name, then the browser's own WebAuthn prompt. Also a setup screen (a key alone turns 2FA on). */
export function AddKey({ onAdded }: { onAdded: () => Promise<void> }) {
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
    if (added.recoveryCodes) app.showRecoveryCodes(added.recoveryCodes);
    await onAdded();
  };
  return html`<form class="inline" onSubmit=${add}>
    <label>Key name <input name="key-name" required maxlength="64" placeholder="e.g. Blue YubiKey" value=${name}
      onInput=${(e: Event) => setName(value(e))} /></label>
    <button type="submit" disabled=${action.busy}>Add security key</button>
    ${action.busy && html`<p role="status">Touch your security key when it blinks.</p>`}
    <${Problem} error=${action.error} />
  </form>`;
}

function KeyRow({ securityKey, onChanged }: { securityKey: SecurityKey; onChanged: () => Promise<void> }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(securityKey.name);
  const action = useAction();
  const rename = async (event: Event) => {
    event.preventDefault();
    if (await action.run(() => api.patch(`/v1/me/security-keys/${seg(securityKey.id)}`, { name: name.trim() }))) {
      setRenaming(false);
      await onChanged();
    }
  };
  const remove = async () => {
    if (await action.run(() => api.delete(`/v1/me/security-keys/${seg(securityKey.id)}`))) await onChanged();
  };
  return html`<li>
    ${renaming
      ? html`<form class="inline" onSubmit=${rename}>
          <label>New name for ${securityKey.name} <input name="new-key-name" required maxlength="64" value=${name}
            onInput=${(e: Event) => setName(value(e))} /></label>
          <button type="submit" disabled=${action.busy}>Save</button>
          <button type="button" onClick=${() => setRenaming(false)}>Cancel</button>
        </form>`
      : html`<div class="row">
          <span><strong>${securityKey.name}</strong> <span class="hint">added ${when(securityKey.createdAt)}, last used ${when(securityKey.lastUsedAt)}</span></span>
          <span class="actions">
            <button type="button" onClick=${() => setRenaming(true)} aria-label=${`Rename ${securityKey.name}`}>Rename</button>
            <button type="button" class="danger" onClick=${remove} disabled=${action.busy} aria-label=${`Remove ${securityKey.name}`}>Remove</button>
          </span>
        </div>`}
    <${Problem} error=${action.error} />
  </li>`;
}
