import { createHash } from "node:crypto";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import type { MailWindow } from "../ports.js";

/**
 * The security-log entry of an hour whose mails to an address ran over the rate: one event per
 * address and hour, its id derived from both (a rewrite or a second publication is the same event),
 * dated at the hour's end, when its count is final and it is published.
 */
export function suppressionSummary(userId: string, address: string, window: MailWindow, count: number): DomainEvent {
  const id = createHash("sha256").update(`${address}\u0000${window.start}`).digest("hex").slice(0, 32);
  return parseEvent("NotificationsSuppressed", {
    eventId: `mail-suppressed-${id}`,
    occurredAt: window.end,
    actor: "system",
    userId,
    count,
    windowStart: window.start,
    windowEnd: window.end,
  });
}
