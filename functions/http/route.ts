import { createRoute } from "@twofactor/http";
import { deps } from "../composition.js";

/**
 * Every HTTP function that uses a store is built with this: the shared middy stack, wired to the
 * composition root's stores (`deps()`); a handler adds the heavier parts its use case needs
 * (`vault()`, `passwords()`) itself. Routes with no store use `staticRoute` (health, openapi).
 * A handler passes its own routes.ts entry (`route(contract.signUp, …)`), from which it takes its
 * access, body, query and path schemas: the entry the OpenAPI document is generated from.
 */
export const route = createRoute(async () => deps());
