import { staticRoute } from "@twofactor/http";

/** Options inline, as its routes.ts entry has them: importing routes.ts would bundle every schema into the smallest function. */
export const handler = staticRoute({ access: "public" }, async () => ({ status: 200, body: { status: "ok" } }));
