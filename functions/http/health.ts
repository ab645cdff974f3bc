import { staticRoute } from "@twofactor/http";

/**
 * Options inline, as its routes.ts entry has them: the entry would bring its response schema and the
 * OpenAPI components registry (10 KB) into the smallest function, which validates no body.
 */
export const handler = staticRoute({ access: "public" }, async () => ({ status: 200, body: { status: "ok" } }));
