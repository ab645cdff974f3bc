import type { EventBridgeEvent } from "aws-lambda";
import { parseEvent, type DetailType, type DomainEvent } from "@twofactor/events";
import type { Deps } from "@twofactor/core";
import { getDeps } from "../composition.js";

/**
 * Wraps an event consumer: the envelope's detail is validated against the catalog before the
 * consumer sees it. A detail that does not fit throws, so the bus retries and then dead-letters it.
 */
export function consume(handle: (deps: Deps, event: DomainEvent) => Promise<unknown>) {
  return async (envelope: EventBridgeEvent<DetailType, unknown>): Promise<void> => {
    await handle(await getDeps(), parseEvent(envelope["detail-type"], envelope.detail));
  };
}
