import { useState } from "preact/hooks";
import { html } from "../html.js";
import { saveFile } from "./save-file.js";

/** A fresh set of recovery codes, shown this once: copy them, download them, then put them away. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const text = `TwoFactor recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("The browser did not allow copying: select the codes and copy them yourself.");
    }
  };
  return html`<section class="card attention" aria-labelledby="codes-title">
    <h2 id="codes-title">Save your recovery codes</h2>
    <p>If you lose your phone or security key, each of these codes signs you in once. They are shown only now: keep them somewhere safe, such as a password manager.</p>
    <ol class="codes" aria-label="Recovery codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
    <div class="actions">
      <button type="button" onClick=${copy}>Copy codes</button>
      <button type="button" onClick=${() => saveFile("twofactor-recovery-codes.txt", text, "text/plain")}>Download as text</button>
      <button type="button" class="primary" onClick=${onDone}>I have saved them</button>
    </div>
    ${copied && html`<p role="status">${copied}</p>`}
  </section>`;
}
