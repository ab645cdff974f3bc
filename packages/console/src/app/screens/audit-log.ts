import { useEffect, useState } from "preact/hooks";
import { api, call, seg } from "../api.js";
import { html } from "../html.js";
import { describeEvent } from "../parts/describe-event.js";
import { Problem } from "../parts/problem.js";
import { saveFile } from "../parts/save-file.js";
import { when } from "../parts/when.js";
import type { Page, SecurityEvent } from "../types.js";
import { useAction } from "../use-action.js";
import { value } from "./sign-up.js";

/** The detail types the audit log stores (events/catalog.ts), typed against the API's enum. */
const TYPES: SecurityEvent["type"][] = [
  "TeamCreated", "TeamMemberAdded", "TeamMemberRemoved", "LoginSucceeded", "LoginFailed", "AccountLocked", "TwoFactorEnabled", "TwoFactorDisabled", "TwoFactorReset", "TotpEnabled", "TotpDisabled",
  "SecurityKeyRegistered", "SecurityKeyRemoved", "RecoveryCodesRegenerated", "RecoveryCodeUsed", "DeviceTrusted", "DeviceChanged",
  "TrustedDeviceRevoked", "MemberFlaggedForSetup", "TeamEnforcementEnabled", "TeamEnforcementDisabled",
];

interface Filters {
  type: string;
  userId: string;
  since: string;
  until: string;
}

/** `<input type="datetime-local">` is local time without a zone; the API takes ISO-8601 UTC. */
const iso = (local: string) => (local ? new Date(local).toISOString() : "");

function query(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (filters.type) params.set("type", filters.type);
  if (filters.userId.trim()) params.set("userId", filters.userId.trim());
  if (filters.since) params.set("since", iso(filters.since));
  if (filters.until) params.set("until", iso(filters.until));
  return params.toString();
}

/** The team's audit log for owners, admins and auditors: filters, pages, and every matching page as one CSV file. */
export function AuditLog({ teamId }: { teamId: string }) {
  const [filters, setFilters] = useState<Filters>({ type: "", userId: "", since: "", until: "" });
  const [events, setEvents] = useState<SecurityEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const load = useAction();
  const download = useAction();
  const path = `/v1/teams/${seg(teamId)}/audit-events`;

  const read = async (from: string | null) => {
    const page = await load.run(() => api.get<Page<SecurityEvent>>(`${path}?${query(filters, { limit: "25", ...(from ? { cursor: from } : {}) })}`));
    if (!page) return;
    setEvents((shown) => (from ? [...shown, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };
  useEffect(() => { void read(null); }, [teamId]);

  /** Follows the `Link: <…>; rel="next"` of each CSV page; the header row is kept once. */
  const downloadCsv = async () => {
    const csv = await download.run(async () => {
      let next: string | null = `${path}?${query(filters, { limit: "100" })}`;
      const parts: string[] = [];
      while (next) {
        const answer: Awaited<ReturnType<typeof call<string>>> = await call<string>("GET", next, { accept: "text/csv" });
        const [header, ...rows] = answer.body.split("\r\n");
        if (parts.length === 0) parts.push(header ?? "");
        parts.push(...rows.filter(Boolean));
        next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get("link") ?? "")?.[1] ?? null;
      }
      return parts.join("\r\n") + "\r\n";
    });
    if (csv) saveFile(`audit-log-${teamId}-${new Date().toISOString().slice(0, 10)}.csv`, csv, "text/csv");
  };

  const set = (field: keyof Filters) => (event: Event) => setFilters({ ...filters, [field]: value(event) });
  const apply = (event: Event) => {
    event.preventDefault();
    void read(null);
  };

  return html`<h1>Audit log</h1>
    <p><a href=${`#/teams/${seg(teamId)}`}>Back to the team</a></p>
    <section class="card wide" aria-labelledby="filters-title">
      <h2 id="filters-title">Filters</h2>
      <form class="filters" onSubmit=${apply}>
        <label>Event type <select name="type" value=${filters.type} onChange=${set("type")}>
          <option value="">Any</option>${TYPES.map((type) => html`<option value=${type}>${type}</option>`)}
        </select></label>
        <label>User id <input name="userId" value=${filters.userId} onInput=${set("userId")} /></label>
        <label>Since <input name="since" type="datetime-local" value=${filters.since} onInput=${set("since")} /></label>
        <label>Until <input name="until" type="datetime-local" value=${filters.until} onInput=${set("until")} /></label>
        <div class="actions">
          <button type="submit" disabled=${load.busy}>Apply filters</button>
          <button type="button" onClick=${downloadCsv} disabled=${download.busy}>Download CSV</button>
        </div>
      </form>
      <${Problem} error=${download.error} />
    </section>
    <section class="card wide" aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      <${Problem} error=${load.error} />
      ${events.length === 0 && !load.busy && html`<p>No events match.</p>`}
      <table>
        <caption class="visually-hidden">Audit events, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">User</th><th scope="col">By</th><th scope="col">From</th></tr></thead>
        <tbody>${events.map((event) => html`<tr key=${event.eventId}>
          <td class="when">${when(event.occurredAt)}</td><td>${describeEvent(event)}</td><td>${event.userId ?? ""}</td><td>${event.actor}</td><td>${event.ip ?? ""}</td>
        </tr>`)}</tbody>
      </table>
      ${cursor && html`<button type="button" onClick=${() => read(cursor)} disabled=${load.busy}>Show older events</button>`}
    </section>`;
}
