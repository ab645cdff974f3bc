import { useRef, useState } from "preact/hooks";
import { html } from "../html.js";
import { useModal } from "./modal.js";
import { saveFile } from "./save-file.js";

/**
 * A fresh set of recovery codes, shown this once, as a required step: a modal dialog that Escape
 * does not close; only "I have saved them" does. Focus starts on its heading, so that a screen
 * reader reads what happened and what the codes are for before the codes.
 */
export function RecoveryCodesDialog({ codes, because, onDone }: { codes: string[]; because: "turned_on" | "regenerated"; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const dialog = useModal(heading);
  const [copied, setCopied] = useState<string | null>(null);
  const text = `TwoFactor recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopied("Copied. Paste them into your password manager.");
    } catch {
      setCopied("The browser did not allow copying: download them, or select the codes and copy them yourself.");
    }
  };
  // Chrome closes a dialog on a second Escape even when `cancel` is refused: open it again until the codes are saved.
  const reopen = () => { if (dialog.current?.isConnected && !dialog.current.open) dialog.current.showModal(); };

  return html`<dialog ref=${dialog} class="codes-dialog" aria-labelledby="codes-title" aria-describedby="codes-why"
    onCancel=${(event: Event) => event.preventDefault()} onClose=${reopen}>
    <h2 id="codes-title" ref=${heading} tabindex="-1">Save your recovery codes</h2>
    <p class="done">${because === "turned_on" ? "✓ Two-factor authentication is on." : "✓ New recovery codes made: your old codes no longer work."}</p>
    <p id="codes-why">If you lose your phone or security key, each of these codes signs you in once. They are shown only now: keep them somewhere safe, such as a password manager.</p>
    <ol class="codes" aria-label="Recovery codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
    <div class="actions">
      <button type="button" onClick=${copy}>Copy</button>
      <button type="button" onClick=${() => saveFile("twofactor-recovery-codes.txt", text, "text/plain")}>Download</button>
    </div>
    <p role="status">${copied}</p>
    <div class="actions end">
      <button type="button" class="primary" onClick=${onDone}>I have saved them</button>
    </div>
  </dialog>`;
}
