import type { ApiError } from "../api.js";
import { html } from "../html.js";
import { messageFor } from "../messages.js";

/** What went wrong, in plain words mapped from the problem's code: never the API's detail, an id or a stack. */
export function Problem({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return html`<p class="problem" role="alert">${messageFor(error)}</p>`;
}
