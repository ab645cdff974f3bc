export { createRoute, type Access, type Handle, type Reply, type RouteInput, type RouteOptions } from "./route.js";
export { problemFor, problemResponse } from "./problem.js";
export { RequestError } from "./request-error.js";
export { MAX_BODY_BYTES } from "./parse-request.js";
export { logger } from "./logger.js";
export { openApiDocument, type RouteContract } from "./openapi.js";
export * as responses from "./responses.js";
export * as schemas from "./schemas.js";
