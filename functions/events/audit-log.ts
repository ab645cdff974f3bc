import { recordAuditEvent } from "@twofactor/core";
import { consume } from "./consumer.js";

/** Stores every event once for the security log (idempotent by eventId). */
export const handler = consume(recordAuditEvent);
