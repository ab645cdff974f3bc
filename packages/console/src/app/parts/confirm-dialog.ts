import { useId, useRef } from "preact/hooks";
import type { ConfirmRequest } from "../context.js";
import { html } from "../html.js";
import { useModal } from "./modal.js";

/**
 * The question before a destructive or team-wide action, as a modal `<dialog>` with a heading:
 * focus starts on Cancel (the harmless answer), Escape cancels, the other button does it.
 */
export function ConfirmDialog({ request, onDone }: { request: ConfirmRequest; onDone: (confirmed: boolean) => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const dialog = useModal(cancel);
  const id = useId();
  return html`<dialog ref=${dialog} aria-labelledby=${`${id}-title`} aria-describedby=${`${id}-body`}
    onCancel=${(event: Event) => { event.preventDefault(); onDone(false); }}>
    <h2 id=${`${id}-title`}>${request.title}</h2>
    <div id=${`${id}-body`}>${typeof request.body === "string" ? html`<p>${request.body}</p>` : request.body}</div>
    <div class="actions">
      <button type="button" class=${request.tone === "primary" ? "go" : "danger"} onClick=${() => onDone(true)}>${request.confirm}</button>
      <button type="button" ref=${cancel} onClick=${() => onDone(false)}>Cancel</button>
    </div>
  </dialog>`;
}
