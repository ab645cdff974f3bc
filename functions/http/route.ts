import { createRoute, type Handle, type RouteOptions } from "@twofactor/http";
import { deps } from "../composition.js";
import { routeOf, type RouteName, type RouteOf } from "./routes.js";

const build = createRoute(async () => deps());

/**
 * Every HTTP function that uses a store is built with this: the shared middy stack, wired to the
 * composition root's stores (`deps()`); a handler adds the heavier parts its use case needs
 * (`vault()`, `passwords()`) itself. Routes with no store use `staticRoute` (health, openapi).
 * Named by its file (`route("sign-up", …)`), a handler takes its access, body and query schemas from
 * its routes.ts entry, the same entry the OpenAPI document is generated from; options given inline
 * are for a handler whose entry does not exist yet.
 */
export function route<N extends RouteName>(name: N, handle: Handle<RouteOf<N>>): ReturnType<typeof build>;
export function route<const O extends RouteOptions>(options: O, handle: Handle<O>): ReturnType<typeof build>;
export function route(nameOrOptions: RouteName | RouteOptions, handle: Handle<RouteOptions>) {
  return build(typeof nameOrOptions === "string" ? routeOf(nameOrOptions) : nameOrOptions, handle);
}
