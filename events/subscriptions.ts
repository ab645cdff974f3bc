import { DETAIL_TYPES, type DetailType } from "./catalog.js";

/** Factor changes after which every device the user had must earn its trust again (API.md). */
export const FACTOR_CHANGES = [
  "TotpEnabled", "TotpDisabled", "SecurityKeyRegistered", "SecurityKeyRemoved", "RecoveryCodesRegenerated",
] as const satisfies readonly DetailType[];

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

export const subscriptions: readonly Subscription[] = [
  { consumer: "audit-log", handler: "functions/events/audit-log.handler", detailTypes: DETAIL_TYPES },
  { consumer: "device-changed", handler: "functions/events/device-changed.handler", detailTypes: ["DeviceChanged"] },
  { consumer: "forget-devices", handler: "functions/events/forget-devices.handler", detailTypes: [...FACTOR_CHANGES] },
];
