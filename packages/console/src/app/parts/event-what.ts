import { html } from "../html.js";
import type { SecurityEvent } from "../types.js";
import { describeEvent } from "./describe-event.js";

/**
 * An event's "What" cell: the words, then how in a quieter line. A flex row, so that a small mark
 * (such as "a mail told them") fits at its end without changing the table.
 */
export function EventWhat({ event }: { event: SecurityEvent }) {
  const { what, how } = describeEvent(event);
  // In the user's own log, an entry they were told of by mail says so (docs/notifications.md).
  return html`<span class="event-what"><span>${what}${how && html`<span class="hint"> · ${how}</span>`}</span>${event.mailed &&
    html`<span class="mailed" role="img" aria-label="mailed" title="You were told of this by mail">✉</span>`}</span>`;
}
