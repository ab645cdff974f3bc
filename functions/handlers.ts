import { subscriptions } from "@twofactor/events/subscriptions";
import { schedules } from "./events/schedule.js";
import { fallbackRoute, routes } from "./http/routes.js";

/**
 * Every function's handler as the stacks and the local runtime name it (`functions/http/login.handler`):
 * each route of routes.ts, the `$default` route, each consumer of subscriptions.ts and each scheduled function.
 */
export const allHandlers: readonly string[] = [
  ...routes.map((route) => route.handler),
  fallbackRoute.handler,
  ...subscriptions.map((subscription) => subscription.handler),
  ...schedules.map((schedule) => schedule.handler),
];

/** `functions/http/login.handler` → `functions/http/login`, the module that exports it. */
export function handlerModule(handler: string): string {
  return handler.slice(0, handler.lastIndexOf("."));
}
