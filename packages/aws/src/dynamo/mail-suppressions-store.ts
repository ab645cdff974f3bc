import type { MailSuppressions, SuppressionReason } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Table } from "./table.js";

/** One item per suppressed address, with why and when (the latest report wins). */
export class MailSuppressionsStore implements MailSuppressions {
  constructor(private readonly table: Table) {}

  async suppress(address: string, reason: SuppressionReason, at: Date): Promise<void> {
    await this.table.put({ ...keys.mailSuppression(address), reason, at: at.toISOString() });
  }

  async isSuppressed(address: string): Promise<boolean> {
    return (await this.table.get(keys.mailSuppression(address))) !== undefined;
  }
}
