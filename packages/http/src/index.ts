export { createRoute, type Access, type Reply, type RouteInput } from "./route.js";
export { problemFor, problemResponse } from "./problem.js";
export { RequestError } from "./request-error.js";
export { MAX_BODY_BYTES } from "./parse-request.js";
export { logger } from "./logger.js";
export { openApiDocument, routeDocs, type DocumentedRoute } from "./openapi.js";
export * as schemas from "./schemas.js";
export { auditCsv, nextLink, wantsCsv } from "./csv.js";
