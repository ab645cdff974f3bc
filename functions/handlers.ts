import { serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import { schedules } from "./events/schedule.js";
import { outboxRelay } from "./events/stream.js";
import { fallbackRoute, routes } from "./http/routes.js";

/**
 * Every function's handler as the stacks and the local runtime name it (`functions/http/login.handler`):
 * each route of routes.ts, the `$default` route, each consumer of subscriptions.ts (ours and the AWS
 * services'), each scheduled function and the outbox relay on the table's stream.
 */
export const allHandlers: readonly string[] = [
  ...routes.map((route) => route.handler),
  fallbackRoute.handler,
  ...subscriptions.map((subscription) => subscription.handler),
  ...serviceSubscriptions.map((subscription) => subscription.handler),
  ...schedules.map((schedule) => schedule.handler),
  outboxRelay.handler,
];

/** `functions/http/login.handler` → `functions/http/login`, the module that exports it. */
export function handlerModule(handler: string): string {
  return handler.slice(0, handler.lastIndexOf("."));
}
