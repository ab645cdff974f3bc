/**
 * The team audit log as CSV (RFC 4180) for auditors who work in spreadsheets: one row per entry,
 * the columns of the JSON items, `detail` as JSON. A cell that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe (OWASP, CSV injection).
 */
const COLUMNS = ["eventId", "type", "occurredAt", "actor", "userId", "teamId", "ip", "userAgent", "detail"] as const;

export function wantsCsv(accept: string | undefined): boolean {
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept ?? "");
}

export function auditCsv(items: readonly object[]): string {
  const rows = items.map((item) => {
    const record = item as Record<string, unknown>;
    return COLUMNS.map((column) => cell(column === "detail" ? JSON.stringify(record.detail ?? {}) : record[column])).join(",");
  });
  return [COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 8288: the next page, the same query with the new cursor. */
export function nextLink(path: string, query: Record<string, unknown>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && name !== "cursor") params.set(name, String(value));
  params.set("cursor", cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}
