import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import type { Deps } from "@twofactor/core";
import { logger } from "@twofactor/http";
import { deps } from "../composition.js";

/**
 * Wraps an event consumer. Events reach it through its SQS queue (rule → queue → function), in
 * batches; each record's body is the EventBridge event, whose detail is validated against the
 * catalog before the consumer sees it. Records are handled one by one (Powertools batch
 * processing): one that throws (a detail that does not fit, a store that is down) is reported in
 * `batchItemFailures`, so it alone is received again after its visibility timeout and, after
 * QUEUE_DELIVERY.maxReceiveCount receives, lands in the dead-letter queue; the others of its batch
 * are done. If every record fails the invocation throws, and the whole batch comes back.
 */
export function consume(handle: (deps: Deps, event: DomainEvent) => Promise<unknown>) {
  return consumeWith(parseEvent, handle);
}

/** The same for events outside the catalog (an AWS service's), each read by `parse` from its detail type and detail. */
export function consumeWith<E>(parse: (detailType: string, detail: unknown) => E, handle: (deps: Deps, event: E) => Promise<unknown>) {
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const envelope = JSON.parse(record.body) as EventBridgeEvent<string, unknown>;
    try {
      await handle(deps(), parse(envelope["detail-type"], envelope.detail));
    } catch (error) {
      logger.warn("event not consumed: it stays on the queue", {
        messageId: record.messageId,
        eventId: envelope.id,
        detailType: envelope["detail-type"],
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        error,
      });
      throw error;
    }
  };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    // A processor per invocation: it holds the batch's state.
    .handler((event, context) => processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context }));
}
