import { createHash } from "node:crypto";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import type { EventBridgePublisher } from "../eventbridge-publisher.js";
import type { OutboxBacklog, Unpublished } from "./outbox-backlog.js";
import { OWED_ATTRIBUTE } from "./outbox.js";

/** The part of a DynamoDB stream record the relay reads (string attributes, as the stream carries them). */
export interface OwedRecord {
  dynamodb?: {
    NewImage?: Record<string, { S?: string } | undefined>;
    OldImage?: Record<string, { S?: string } | undefined>;
  };
}

export interface RelayReport {
  published: number;
  /** Refused by EventBridge or unreadable: stored in the backlog for the sweep. */
  backlogged: number;
}

/**
 * Publishes what the table's writes owe, from the table's stream (functions/events/outbox-relay.ts
 * is its consumer). A record's events are those of its new image that its old image did not hold
 * (a write owing nothing clears them, so the old image rarely holds any). Everything a batch owes
 * goes out together, 10 entries a call; what EventBridge still refuses after its retries, and what
 * no longer parses, goes to the backlog, which the sweep drains. Only when the backlog cannot be
 * written either does the relay throw: the stream then hands it the batch again (at least once;
 * the consumers take an event once however often it comes).
 */
export class OutboxRelay {
  constructor(private readonly publisher: Pick<EventBridgePublisher, "publishEach">, private readonly backlog: Pick<OutboxBacklog, "add">) {}

  async relay(records: readonly OwedRecord[]): Promise<RelayReport> {
    const events: DomainEvent[] = [];
    const unreadable: Unpublished[] = [];
    for (const record of records) {
      const before = new Set(owedIn(record.dynamodb?.OldImage).map((owed) => owed.eventId));
      for (const owed of owedIn(record.dynamodb?.NewImage)) {
        if (before.has(owed.eventId)) continue;
        if (owed.event) events.push(owed.event);
        else unreadable.push({ eventId: owed.eventId, occurredAt: owed.occurredAt, raw: owed.raw });
      }
    }
    const refused = await this.publisher.publishEach(events);
    const backlog: Unpublished[] = [...refused.map(({ event }) => ({ event })), ...unreadable];
    if (backlog.length) await this.backlog.add(backlog);
    return { published: events.length - refused.length, backlogged: backlog.length };
  }
}

interface Owed {
  eventId: string;
  occurredAt?: string;
  raw: string;
  event?: DomainEvent;
}

/** The events an image owes, each parsed against the catalog (or kept raw when it no longer fits it). */
function owedIn(image: Record<string, { S?: string } | undefined> | undefined): Owed[] {
  const json = image?.[OWED_ATTRIBUTE]?.S;
  if (!json) return [];
  let list: unknown[];
  try {
    list = JSON.parse(json) as unknown[];
  } catch {
    return [{ eventId: unreadableId(json), raw: json }];
  }
  if (!Array.isArray(list)) return [{ eventId: unreadableId(json), raw: json }];
  return list.map((item, i) => {
    const { detailType, detail } = (item ?? {}) as { detailType?: string; detail?: { eventId?: string; occurredAt?: string } };
    const raw = JSON.stringify(item) ?? "null";
    const eventId = typeof detail?.eventId === "string" ? detail.eventId : unreadableId(`${i}:${json}`);
    try {
      return { eventId, occurredAt: detail?.occurredAt, raw, event: parseEvent(detailType as never, detail) };
    } catch {
      return { eventId, occurredAt: detail?.occurredAt, raw };
    }
  });
}

/** A stable id for what cannot say its own: the same record backlogs the same entry however often it comes. */
function unreadableId(text: string): string {
  return `unreadable-${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
}
