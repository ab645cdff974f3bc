import { startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../html.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { value } from "../screens/sign-up.js";

/**
 * The prompt for a fresh second factor when a factor change answers `reauthentication_required`
 * (sudo mode): a code (`POST /v1/me/reauthenticate`) or a security key (`…/webauthn`). A modal
 * `<dialog>` keeps the keyboard inside it and Escape cancels.
 */
export function ReauthDialog({ methods, onDone }: { methods: string[]; onDone: (proved: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [code, setCode] = useState("");
  const action = useAction();
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

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

  return html`<dialog ref=${dialog} aria-labelledby="reauth-title" onCancel=${() => onDone(false)}>
    <h2 id="reauth-title">Confirm it's you</h2>
    <p>Changing your sign-in methods needs a second factor from the last 10 minutes.</p>
    <form onSubmit=${proveCode}>
      <label>Authentication or recovery code <input name="reauth-code" autocomplete="one-time-code" required value=${code}
        onInput=${(e: Event) => setCode(value(e))} /></label>
      <${Problem} error=${action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${action.busy}>Confirm</button>
        ${methods.includes("webauthn") && html`<button type="button" onClick=${proveKey} disabled=${action.busy}>Use security key</button>`}
        <button type="button" onClick=${() => onDone(false)}>Cancel</button>
      </div>
    </form>
  </dialog>`;
}
