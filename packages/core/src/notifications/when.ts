/** An instant as mails show it: an ISO 8601 date and time in UTC, to the second (`2026-01-06T12:13:14Z`). */
export function isoTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}
