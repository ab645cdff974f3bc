import { DETAIL_TYPES, type DetailType } from "./catalog.js";

/**
 * Which consumer takes which detail types. Plain data: the local bus delivers by it, and the
 * infrastructure makes one EventBridge rule (with its retry policy and dead-letter queue) per entry.
 * `handler` is the consumer's module (from the repository root) and export, as SST names it.
 */
export interface Subscription {
  consumer: string;
  handler: string;
  detailTypes: readonly DetailType[];
}

/** The fan-out's own continuation is plumbing, not something an auditor would care about. */
const INTERNAL: readonly DetailType[] = ["TeamRolloutContinued"];

export const subscriptions: readonly Subscription[] = [
  { consumer: "audit-log", handler: "functions/events/audit-log.handler", detailTypes: DETAIL_TYPES.filter((t) => !INTERNAL.includes(t)) },
  {
    consumer: "team-enforcement",
    handler: "functions/events/team-enforcement.handler",
    detailTypes: ["TeamEnforcementEnabled", "TeamEnforcementDisabled", "TeamRolloutContinued"],
  },
];
