/**
 * Builds a module-level value (a zod schema) at import, in a form esbuild may drop: written
 * `/* @__PURE__ *\/ droppable(() => …)`, a value no code of a bundle uses is left out of it, and so
 * is the work of building it. A Lambda function then builds, at its cold start, the schemas of its
 * own route only (routes.ts has one constant per route), not those of every route.
 */
export const droppable = <T>(build: () => T): T => build();
