import { InvalidCursorError, type AuditEntry, type AuditLog, type Page, type PageRequest } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Table } from "./table.js";

/** Sort keys read `<occurredAt>#<eventId>`: newest first by time, unique by event. */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/;

export class AuditLogStore implements AuditLog {
  constructor(private readonly table: Table) {}

  async append(entry: AuditEntry): Promise<boolean> {
    if (!entry.userId) return false;
    return this.table.put(
      { pk: keys.userAudit(entry.userId), sk: `${entry.occurredAt}#${entry.eventId}`, entry },
      "attribute_not_exists(pk)",
    );
  }

  async listForUser(userId: string, page: PageRequest): Promise<Page<AuditEntry>> {
    const pk = keys.userAudit(userId);
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    // A Query answer stops at 1 MB whatever its Limit: queryPage reads on, and says when more follow.
    const { items, lastKey } = await this.table.queryPage(
      { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, ScanIndexForward: false },
      { limit: page.limit, startKey: after === undefined ? undefined : { pk, sk: after } },
    );
    return {
      items: items.map((item) => item.entry as AuditEntry),
      nextCursor: lastKey ? Buffer.from(lastKey.sk as string).toString("base64url") : null,
    };
  }
}

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, "base64url").toString("utf8");
  if (!SORT_KEY.test(sk)) throw new InvalidCursorError();
  return sk;
}
