import { InvalidCursorError, type AuditEntry, type AuditFilter, type AuditLog, type Clock, type Page, type PageRequest } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Table } from "./table.js";

/** Sort keys read `<occurredAt>#<eventId>`: newest first by time, unique by event. */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/;

export interface AuditRetention {
  /** Days an entry is kept after it occurred (the table's TTL then deletes it); 0 or none keeps it for good. */
  days?: number;
  /** "Now" for the lists, which leave out entries past their `expiresAt` that TTL has not deleted yet. */
  clock?: Clock;
}

export class AuditLogStore implements AuditLog {
  constructor(private readonly table: Table, private readonly retention: AuditRetention = {}) {}

  async append(entry: AuditEntry): Promise<boolean> {
    if (!entry.userId) return false;
    return this.table.put(
      { pk: keys.userAudit(entry.userId), sk: `${entry.occurredAt}#${entry.eventId}`, entry, ...this.expiry(entry) },
      "attribute_not_exists(pk)",
    );
  }

  /** In the team's partition, with `type` and `userId` beside the entry so that a filter reads them. */
  async appendToTeam(teamId: string, entry: AuditEntry): Promise<boolean> {
    return this.table.put(
      {
        pk: keys.teamAudit(teamId), sk: `${entry.occurredAt}#${entry.eventId}`, type: entry.type,
        ...(entry.userId ? { userId: entry.userId } : {}), entry, ...this.expiry(entry),
      },
      "attribute_not_exists(pk)",
    );
  }

  /** `expiresAt` (epoch seconds, the table's TTL attribute) `days` after the event, when a retention is set. */
  private expiry(entry: AuditEntry): { expiresAt?: number } {
    if (!this.retention.days) return {};
    return { expiresAt: Math.floor(Date.parse(entry.occurredAt) / 1000) + this.retention.days * 86_400 };
  }

  /** TTL deletes lazily: a list leaves out what has expired (entries written without a retention never do). */
  private live(values: Record<string, unknown>): string | undefined {
    if (!this.retention.clock) return undefined;
    values[":now"] = Math.floor(this.retention.clock.now().getTime() / 1000);
    return "(attribute_not_exists(expiresAt) OR expiresAt > :now)";
  }

  /**
   * Newest first. `since`/`until` bound the sort key (occurredAt leads it); `type` and `userId` are
   * a filter, so a page may take several queries: it reads on until it has one more than asked (so
   * the last page says null) or the partition ends. The cursor is the last shown sort key, so
   * nothing is lost or repeated between pages, whatever is appended meanwhile (newer entries sort
   * before the cursor).
   */
  async listForTeam(teamId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const pk = keys.teamAudit(teamId);
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const values: Record<string, unknown> = { ":pk": pk };
    const names: Record<string, string> = {};
    let range = "";
    // Sort keys are `<occurredAt>#<eventId>`: "#" < "~" bounds every event of the last instant.
    if (filter.since && filter.until) {
      range = " AND sk BETWEEN :since AND :until";
      Object.assign(values, { ":since": filter.since, ":until": `${filter.until}~` });
    } else if (filter.since) {
      range = " AND sk >= :since";
      values[":since"] = filter.since;
    } else if (filter.until) {
      range = " AND sk <= :until";
      values[":until"] = `${filter.until}~`;
    }
    const conditions: string[] = [];
    const live = this.live(values);
    if (live) conditions.push(live);
    if (filter.type) { conditions.push("#type = :type"); names["#type"] = "type"; values[":type"] = filter.type; }
    if (filter.userId) { conditions.push("userId = :userId"); values[":userId"] = filter.userId; }

    const found: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined = after === undefined ? undefined : { pk, sk: after };
    do {
      const out = await this.table.query({
        KeyConditionExpression: `pk = :pk${range}`,
        ...(conditions.length ? { FilterExpression: conditions.join(" AND ") } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        // Expiry rarely leaves anything out, so only a type or user filter reads in large batches.
        Limit: filter.type || filter.userId ? SCAN_BATCH : page.limit + 1 - found.length,
        ExclusiveStartKey: startKey,
      });
      found.push(...out.items);
      startKey = out.lastKey;
    } while (startKey && found.length <= page.limit);
    const shown = found.slice(0, page.limit);
    return {
      items: shown.map((item) => item.entry as AuditEntry),
      nextCursor: found.length > page.limit ? Buffer.from(shown.at(-1)!.sk as string).toString("base64url") : null,
    };
  }

  async listForUser(userId: string, page: PageRequest): Promise<Page<AuditEntry>> {
    const pk = keys.userAudit(userId);
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const values: Record<string, unknown> = { ":pk": pk };
    const live = this.live(values);
    // A Query answer stops at 1 MB whatever its Limit: queryPage reads on, and says when more follow.
    const { items, lastKey } = await this.table.queryPage(
      { KeyConditionExpression: "pk = :pk", ...(live ? { FilterExpression: live } : {}), ExpressionAttributeValues: values, ScanIndexForward: false },
      { limit: page.limit, startKey: after === undefined ? undefined : { pk, sk: after } },
    );
    return {
      items: items.map((item) => item.entry as AuditEntry),
      nextCursor: lastKey ? Buffer.from(lastKey.sk as string).toString("base64url") : null,
    };
  }
}

/** A filtered page reads at most this many items per query, and keeps querying until the page is full. */
const SCAN_BATCH = 200;

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, "base64url").toString("utf8");
  if (!SORT_KEY.test(sk)) throw new InvalidCursorError();
  return sk;
}
