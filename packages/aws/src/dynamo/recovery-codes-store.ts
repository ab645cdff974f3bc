import type { DomainEvent } from "@twofactor/events";
import type { RecoveryCodes } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";

/** One item per user: a map from code hash to used. Replacing the map voids the old set at once. */
export class RecoveryCodesStore implements RecoveryCodes {
  constructor(private readonly outbox: Outbox) {}

  async replace(userId: string, codeHashes: readonly string[], at: Date, owed: readonly DomainEvent[]): Promise<void> {
    const codes = Object.fromEntries(codeHashes.map((hash) => [hash, false]));
    await this.outbox.write(keys.recoveryCodes(userId), { set: { codes, generatedAt: at.toISOString() } }, owed);
  }

  async use(userId: string, codeHash: string, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.recoveryCodes(userId), {
      setPaths: ["codes.#code = :used"],
      condition: "codes.#code = :unused",
      names: { "#code": codeHash },
      values: { ":used": true, ":unused": false },
    }, owed);
    return item !== undefined;
  }

  async clear(userId: string, owed: readonly DomainEvent[] = []): Promise<void> {
    await this.outbox.write(keys.recoveryCodes(userId), { set: { codes: {} } }, owed);
  }
}
