import { useEffect, useState } from "preact/hooks";
import { api, call, seg } from "../api.js";
import { html } from "../html.js";
import { EVENT_NAMES } from "../parts/describe-event.js";
import { EventWhat } from "../parts/event-what.js";
import { Problem } from "../parts/problem.js";
import { saveFile } from "../parts/save-file.js";
import { ScreenHeading } from "../parts/screen-heading.js";
import { personOf, useTeamPeople } from "../parts/team-people.js";
import { value } from "../parts/value.js";
import { when } from "../parts/when.js";
import type { Page, SecurityEvent, Team, User } from "../types.js";
import { useAction } from "../use-action.js";

/** The types a team's log holds, by their words (the rollout's internal checkpoints are not audit events). */
const TYPES = (Object.keys(EVENT_NAMES) as SecurityEvent["type"][])
  .filter((type) => type !== "TeamRolloutContinued")
  .sort((a, b) => EVENT_NAMES[a].localeCompare(EVENT_NAMES[b]));

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
  if (filters.userId) params.set("userId", filters.userId);
  if (filters.since) params.set("since", iso(filters.since));
  if (filters.until) params.set("until", iso(filters.until));
  return params.toString();
}

/**
 * The team's audit log for owners, admins and auditors: filters in words, people by email (an
 * auditor, who may not list the members, sees "you" and "someone"), and every matching page as one CSV.
 */
export function AuditLog({ user, teamId }: { user: User; teamId: string }) {
  const [team, setTeam] = useState<Team | null>(null);
  const [filters, setFilters] = useState<Filters>({ type: "", userId: "", since: "", until: "" });
  const [events, setEvents] = useState<SecurityEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const people = useTeamPeople(teamId, team !== null && team.role !== "auditor");
  const load = useAction();
  const download = useAction();
  const path = `/v1/teams/${seg(teamId)}/audit-events`;

  const read = async (from: string | null) => {
    const page = await load.read(() => api.get<Page<SecurityEvent>>(`${path}?${query(filters, { limit: "25", ...(from ? { cursor: from } : {}) })}`));
    if (!page) return;
    setEvents((shown) => (from && shown ? [...shown, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };
  useEffect(() => {
    void load.read(async () => setTeam((await api.get<{ team: Team }>(`/v1/teams/${seg(teamId)}`)).team));
    void read(null);
  }, [teamId]);

  /** Follows the `Link: <…>; rel="next"` of each CSV page; the header row is kept once. */
  const downloadCsv = async () => {
    const csv = await download.read(async () => {
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
  const who = (id: string | undefined) => personOf(id, user, people.members);

  return html`<${ScreenHeading} title=${team ? `Audit log · ${team.name}` : "Audit log"}>Audit log<//>
    ${team && html`<p><a href=${`#/teams/${seg(teamId)}`}>Back to ${team.name}</a></p>`}
    <section class="card" aria-labelledby="filters-title">
      <h2 id="filters-title">Filters</h2>
      <form class="filters" onSubmit=${apply}>
        <label>Event type <select name="type" value=${filters.type} onChange=${set("type")}>
          <option value="">Any</option>${TYPES.map((type) => html`<option value=${type}>${EVENT_NAMES[type]}</option>`)}
        </select></label>
        <label>Person <select name="userId" value=${filters.userId} onChange=${set("userId")}>
          <option value="">Anyone</option>
          <option value=${user.id}>You</option>
          ${people.members?.filter((member) => member.userId !== user.id).map((member) => html`<option value=${member.userId}>${member.email}</option>`)}
        </select></label>
        <label>Since <input name="since" type="datetime-local" value=${filters.since} onInput=${set("since")} /></label>
        <label>Until <input name="until" type="datetime-local" value=${filters.until} onInput=${set("until")} /></label>
        <div class="actions">
          <button type="submit" class="primary" aria-disabled=${load.busy}>Apply filters</button>
          <button type="button" onClick=${downloadCsv} aria-disabled=${download.busy}>Download CSV</button>
        </div>
      </form>
      <${Problem} error=${download.error} />
    </section>
    <section class="card" aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      <${Problem} error=${load.error} />
      ${events?.length === 0 && html`<p>No events match.</p>`}
      ${events && events.length > 0 && html`<table class="stack">
        <caption class="visually-hidden">Audit events, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">User</th><th scope="col">By</th><th scope="col">From</th></tr></thead>
        <tbody>${events.map((event) => html`<tr key=${event.eventId}>
          <td class="when" data-label="When">${when(event.occurredAt)}</td>
          <td data-label="What"><${EventWhat} event=${event} /></td>
          <td data-label="User">${who(event.userId)}</td>
          <td data-label="By">${who(event.actor)}</td>
          <td data-label="From">${event.ip ?? "—"}</td>
        </tr>`)}</tbody>
      </table>`}
      ${cursor && html`<button type="button" onClick=${() => read(cursor)} aria-disabled=${load.busy}>Show older events</button>`}
    </section>`;
}
