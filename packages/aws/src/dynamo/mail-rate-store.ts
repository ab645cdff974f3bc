import type { DomainEvent } from "@twofactor/events";
import type { MailRate, MailWindow } from "@twofactor/core";
import { keys } from "./keys.js";
import type { HeldEvents } from "./outbox-backlog.js";
import { epochSeconds, type Table } from "./table.js";

/** A window's counts stay a day past its end (the summary it owes is published a minute or so after). */
const KEEP_SECONDS = 24 * 3600;

/**
 * One item per address and hour: `sent` counted up to the limit by a conditional increment, and
 * `dropped` counted past it. The hour's summary (NotificationsSuppressed), dated at the window's
 * end, is held in the outbox's backlog until then, and rewritten by the drop that holds the highest
 * count: each drop's increment answers its count, which is the held event's version, so a slower
 * drop never writes a smaller count over a larger. A crash between the two writes leaves the
 * summary one short, until the hour's next drop.
 */
export class MailRateStore implements MailRate {
  constructor(private readonly table: Table, private readonly held: HeldEvents) {}

  async take(address: string, window: MailWindow, limit: number): Promise<boolean> {
    const counted = await this.table.update(keys.mailRate(address, window.start), {
      add: { sent: 1 },
      set: { expiresAt: epochSeconds(window.end) + KEEP_SECONDS },
      condition: "attribute_not_exists(sent) OR sent < :limit",
      values: { ":limit": limit },
    });
    return counted !== undefined;
  }

  async giveBack(address: string, window: MailWindow): Promise<void> {
    await this.table.update(keys.mailRate(address, window.start), { add: { sent: -1 }, condition: "sent > :zero", values: { ":zero": 0 } });
  }

  async drop(address: string, window: MailWindow, summary?: (count: number) => DomainEvent): Promise<number> {
    const key = keys.mailRate(address, window.start);
    const item = await this.table.update(key, { add: { dropped: 1 }, set: { expiresAt: epochSeconds(window.end) + KEEP_SECONDS } });
    const count = item!.dropped as number;
    if (summary) await this.held.hold(summary(count), count);
    return count;
  }
}
