import { recordAuditEvent } from "@twofactor/core";
import { consume } from "./consumer.js";

/** Stores every event once for the security log (idempotent by eventId). */
// One conditional PutItem per entry, not BatchWriteItem: a batch write takes no condition and its grant would let
// this role delete audit entries, for the same write units and round trips (docs/benchmarks.md says so, measured).
export const handler = consume(recordAuditEvent);
