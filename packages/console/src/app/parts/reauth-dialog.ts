import { startAuthentication } from "@simplewebauthn/browser";
import { useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { useAction } from "../use-action.js";
import { useModal } from "./modal.js";
import { Problem } from "./problem.js";
import { value } from "./value.js";

/**
 * The prompt for a fresh second factor (the API answered `reauthentication_required`, or a pending
 * reset is cancelled by proving one): a code, or a security key. A modal `<dialog>`: focus starts
 * in the code field and Escape cancels.
 */
export function ReauthDialog({ methods, reason, onDone }: { methods: string[]; reason?: string; onDone: (proved: boolean) => void }) {
  const field = useRef<HTMLInputElement>(null);
  const dialog = useModal(field);
  const [code, setCode] = useState("");
  const action = useAction();

  const proveCode = async (event: Event) => {
    event.preventDefault();
    if (await action.run(() => api.post("/v1/me/reauthenticate", { code: code.trim() }))) onDone(true);
  };
  const proveKey = async () => {
    const proved = await action.run(async () => {
      const { options } = await api.post<{ options: Parameters<typeof startAuthentication>[0]["optionsJSON"] }>("/v1/me/reauthenticate/webauthn/options");
      return api.post("/v1/me/reauthenticate/webauthn", { response: await startAuthentication({ optionsJSON: options }) });
    });
    if (proved) onDone(true);
  };

  return html`<dialog ref=${dialog} aria-labelledby="reauth-title" onCancel=${(event: Event) => { event.preventDefault(); onDone(false); }}>
    <h2 id="reauth-title">Verify it's you</h2>
    <p>${reason ?? "This change needs a second factor from the last 10 minutes."}</p>
    <form onSubmit=${proveCode}>
      <label>Code from your authenticator app, or a recovery code
        <input ref=${field} name="reauth-code" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required value=${code}
          onInput=${(e: Event) => setCode(value(e))} /></label>
      <${Problem} error=${action.error} />
      <div class="actions">
        <button type="submit" class="primary" aria-disabled=${action.busy}>Verify</button>
        ${methods.includes("webauthn") && html`<button type="button" onClick=${proveKey} aria-disabled=${action.busy}>Use security key</button>`}
        <button type="button" onClick=${() => onDone(false)}>Cancel</button>
      </div>
    </form>
  </dialog>`;
}
