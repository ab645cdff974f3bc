import type { MailLog, MailOutcome } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Table } from "./table.js";

/**
 * One item per event that mailed (or would have): `mailStatus` is `claimed` from the conditional put
 * that claims it until the outcome is recorded. Kept like the audit log it marks: a replay of old
 * events finds their claims.
 */
export class MailLogStore implements MailLog {
  constructor(private readonly table: Table) {}

  claim(eventId: string, at: Date): Promise<boolean> {
    return this.table.put({ ...keys.mail(eventId), mailStatus: "claimed", claimedAt: at.toISOString() }, "attribute_not_exists(pk)");
  }

  async settle(eventId: string, outcome: MailOutcome, at: Date): Promise<void> {
    await this.table.update(keys.mail(eventId), { set: { mailStatus: outcome, settledAt: at.toISOString() }, condition: "attribute_exists(pk)" });
  }

  async release(eventId: string): Promise<void> {
    await this.table.delete(keys.mail(eventId), "mailStatus = :claimed", { ":claimed": "claimed" });
  }

  async mailed(eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const items = await this.table.getMany(eventIds.map(keys.mail));
    return new Set(items.filter((item) => item.mailStatus === "sent").map((item) => (item.pk as string).slice("MAIL#".length)));
  }
}
