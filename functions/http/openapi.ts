import { openApiDocument } from "@twofactor/http";
import { route } from "./route.js";
import { routes } from "./routes.js";

/** The API's OpenAPI 3.1 document, built once per cold start from routes.ts and the zod schemas it names. */
const document = openApiDocument(routes);

export const handler = route("openapi", async () => ({ status: 200, body: document }));
