import type { MailWindow } from "../ports.js";

const HOUR_MS = 3600_000;

/** The clock hour (UTC) `now` falls in: the fixed window the mail rate counts in. */
export function mailWindowAt(now: Date): MailWindow {
  const start = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() };
}
