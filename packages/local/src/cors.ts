import type { IncomingMessage, ServerResponse } from "node:http";

/** The same CORS rules the HTTP API gets on AWS (infra/gateway.ts), so a frontend on another origin works locally too. */
const ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE";
const ALLOW_HEADERS = "content-type, authorization, x-device-token";

/**
 * Adds the CORS headers for an allowed origin; answers a preflight itself. Returns true when the
 * request was a preflight and has been answered. Origins not listed get no CORS headers at all,
 * so the browser keeps them out (never `*`: the API takes credentials).
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && allowedOrigins.includes(origin);
  if (allowed) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("access-control-allow-credentials", "true");
    res.setHeader("vary", "Origin");
  }
  if (req.method !== "OPTIONS" || !req.headers["access-control-request-method"]) return false;
  if (allowed) {
    res.setHeader("access-control-allow-methods", ALLOW_METHODS);
    res.setHeader("access-control-allow-headers", ALLOW_HEADERS);
    res.setHeader("access-control-max-age", "3600");
  }
  res.writeHead(204);
  res.end();
  return true;
}
