import { createRoute } from "@twofactor/http";
import { getDeps } from "../composition.js";

/** Every HTTP function is built with this: the shared middy stack, wired to the composition root. */
export const route = createRoute(getDeps);
