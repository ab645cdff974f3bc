import { createRoute, type Handle, type RouteOptions } from "@twofactor/http";
import { getDeps } from "../composition.js";
import { routeOf, type RouteName, type RouteOf } from "./routes.js";

const build = createRoute(getDeps);

/**
 * Every HTTP function is built with this: the shared middy stack, wired to the composition root.
 * Named by its file (`route("sign-up", …)`), a handler takes its access, body and query schemas from
 * its routes.ts entry, the same entry the OpenAPI document is generated from; options given inline
 * are for a handler whose entry does not exist yet.
 */
export function route<N extends RouteName>(name: N, handle: Handle<RouteOf<N>>): ReturnType<typeof build>;
export function route<const O extends RouteOptions>(options: O, handle: Handle<O>): ReturnType<typeof build>;
export function route(nameOrOptions: RouteName | RouteOptions, handle: Handle<RouteOptions>) {
  return build(typeof nameOrOptions === "string" ? routeOf(nameOrOptions) : nameOrOptions, handle);
}
