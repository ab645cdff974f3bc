import type { DomainEvent } from "@twofactor/events";
import type { Item, Key, Table, UpdateSpec } from "./table.js";

/**
 * The attribute in which a write records the events it owes (a JSON array). The table's stream
 * carries each write's new image, and the outbox relay (OutboxRelay) publishes what it finds here.
 */
export const OWED_ATTRIBUTE = "owedEvents";

export interface OutboxOptions {
  /** Called with the events of every owing write that was stored (the functions count them as metrics). */
  onOwed?: (events: readonly DomainEvent[]) => void;
}

/**
 * The transactional outbox, one item at a time: a state change and the events it owes are one
 * conditional update, the events in `owedEvents` on the changed item. Nothing else is written: the
 * table's stream holds every stored write, in order per item, for 24 hours, and the relay reading
 * it publishes them (docs/decisions/0015-the-outbox-on-the-table-stream.md). A write that owes nothing
 * clears what an earlier one owed (the stream has it already), so an item carries at most the
 * events of its last owing write and the relay's filter lets no other write through.
 */
export class Outbox {
  private readonly onOwed: (events: readonly DomainEvent[]) => void;

  constructor(private readonly table: Table, options: OutboxOptions = {}) {
    this.onOwed = options.onOwed ?? (() => {});
  }

  /** Applies `spec` together with the events it owes; undefined when the condition failed. */
  async write(key: Key, spec: UpdateSpec, owed: readonly DomainEvent[]): Promise<Item | undefined> {
    const item = await this.table.update(key, owed.length
      ? { ...spec, set: { ...spec.set, [OWED_ATTRIBUTE]: JSON.stringify(owed) } }
      : { ...spec, remove: [...(spec.remove ?? []), OWED_ATTRIBUTE] });
    if (item && owed.length) this.onOwed(owed);
    return item;
  }
}
