import type { ApiError } from "../api.js";
import { html } from "../html.js";

/** What went wrong, in the API's words (`detail`, and each refused field): never a stack or raw JSON. */
export function Problem({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return html`<div class="problem" role="alert">
    <p>${error.detail}</p>
    ${error.fieldErrors.length > 0 && html`<ul>${error.fieldErrors.map((field) => html`<li>${field.path}: ${field.message}</li>`)}</ul>`}
  </div>`;
}
