import { openApiDocument, staticRoute } from "@twofactor/http";
import { openapi, routes } from "./routes.js";

/** The API's OpenAPI 3.1 document, built once per cold start from routes.ts and the zod schemas it names. */
const document = openApiDocument(routes);

export const handler = staticRoute(openapi, async () => ({ status: 200, body: document }));
