import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { SecurityEvent, SecurityEventPage } from "../types.js";
import { useAction } from "../use-action.js";
import { EventWhat } from "./event-what.js";
import { Problem } from "./problem.js";
import { when } from "./when.js";

const PAGE = 10;

/** The user's own security log, newest first, a page at a time (`nextCursor`); read again after each change. */
export function SecurityLog() {
  const app = useConsole();
  const [events, setEvents] = useState<SecurityEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const action = useAction();
  const load = async (from: string | null) => {
    const query = new URLSearchParams({ limit: String(PAGE), ...(from ? { cursor: from } : {}) });
    const page = await action.read(() => api.get<SecurityEventPage>(`/v1/me/security-events?${query}`));
    if (!page) return;
    setEvents((shown) => (from ? [...shown, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };
  useEffect(() => { void load(null); }, [app.version]);

  return html`<section class="card" aria-labelledby="log-title">
    <h2 id="log-title">Security log</h2>
    <${Problem} error=${action.error} />
    <table class="stack">
      <caption class="visually-hidden">Your security events, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">From</th></tr></thead>
      <tbody>${events.map((event) => html`<tr key=${event.eventId}>
        <td class="when" data-label="When">${when(event.occurredAt)}</td>
        <td data-label="What"><${EventWhat} event=${event} /></td>
        <td data-label="From">${event.ip ?? "—"}</td>
      </tr>`)}</tbody>
    </table>
    <div class="actions">
      <button type="button" onClick=${() => load(null)} aria-disabled=${action.busy}>Refresh</button>
      ${cursor && html`<button type="button" onClick=${() => load(cursor)} aria-disabled=${action.busy}>Show older events</button>`}
    </div>
  </section>`;
}
