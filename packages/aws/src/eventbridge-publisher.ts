import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { SOURCE, type DomainEvent } from "@twofactor/events";
import type { EventPublisher } from "@twofactor/core";

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/**
 * Publishes with EventBridge's PutEvents. A call can succeed while some entries fail
 * (FailedEntryCount); those entries alone are sent again with backoff, and if any still fail the
 * publish throws, so the outbox keeps them.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry: RetryPolicy = { attempts: 4, baseDelayMs: 50 },
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      await this.publishBatch(events.slice(i, i + BATCH).map((event) => this.entry(event)));
    }
  }

  private async publishBatch(entries: PutEventsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) return;
      pending = pending.filter((_, index) => out.Entries?.[index]?.ErrorCode);
      if (attempt >= this.retry.attempts) {
        throw new Error(`EventBridge refused ${pending.length} event(s): ${out.Entries?.find((e) => e.ErrorCode)?.ErrorCode}`);
      }
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
