import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { SOURCE, type DomainEvent } from "@twofactor/events";
import type { EventPublisher } from "@twofactor/core";

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;
/** Calls in flight at once when many events go out together (a drain after an outage). */
const PARALLEL_CALLS = 8;

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/** An event EventBridge still refused after the last attempt, and why. */
export interface Refused {
  event: DomainEvent;
  reason: string;
}

/**
 * Publishes with EventBridge's PutEvents, 10 entries a call, several calls at once. A call can
 * succeed while some entries fail (FailedEntryCount); those entries alone are sent again with
 * backoff. `publishEach` answers what was still refused, entry by entry; `publish` throws then.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry: RetryPolicy = { attempts: 4, baseDelayMs: 50 },
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    const refused = await this.publishEach(events);
    if (refused.length) throw new Error(`EventBridge refused ${refused.length} event(s): ${refused[0]!.reason}`);
  }

  async publishEach(events: readonly DomainEvent[]): Promise<Refused[]> {
    const batches: DomainEvent[][] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
    const refused: Refused[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CALLS, batches.length) }, async () => {
      while (next < batches.length) refused.push(...(await this.publishBatch(batches[next++]!)));
    }));
    return refused;
  }

  /** One batch, its refused entries sent again until none is left or the attempts are spent; a call that throws refuses them all. */
  private async publishBatch(events: DomainEvent[]): Promise<Refused[]> {
    let pending = events.map((event) => ({ event, entry: this.entry(event), reason: "" }));
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.client.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
        pending = pending.flatMap((p, index) => {
          const code = out.Entries?.[index]?.ErrorCode;
          return code ? [{ ...p, reason: code }] : [];
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        pending = pending.map((p) => ({ ...p, reason }));
      }
      if (pending.length === 0) return [];
      if (attempt >= this.retry.attempts) return pending.map(({ event, reason }) => ({ event, reason }));
      await new Promise((resolve) => setTimeout(resolve, this.retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }

  private entry(event: DomainEvent): PutEventsRequestEntry {
    return {
      Source: SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: this.busName,
      Time: new Date(event.detail.occurredAt),
    };
  }
}
