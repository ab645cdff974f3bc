import { randomUUID } from "node:crypto";
import { parseEvent, type DetailOf, type DetailType, type DomainEvent } from "@twofactor/events";
import type { RequestContext } from "../deps.js";

type OwnFields<T extends DetailType> = Omit<DetailOf<T>, "eventId" | "occurredAt" | "actor" | "ip" | "userAgent">;

/**
 * Builds an event with the common fields filled in and checks it against the catalog, so that a
 * detail the schema would refuse fails here, before any state changes.
 */
export function newEvent<T extends DetailType>(
  detailType: T,
  fields: OwnFields<T> & { actor?: string },
  context: RequestContext & { now: Date },
): DomainEvent {
  const detail = {
    eventId: randomUUID(),
    occurredAt: context.now.toISOString(),
    actor: fields.actor ?? fields.userId ?? "system",
    ...(context.ip ? { ip: context.ip } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    ...fields,
  };
  return parseEvent(detailType, detail);
}
