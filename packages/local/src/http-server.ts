import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP, type AddressInfo, type Socket } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { RouteEntry } from "@twofactor/functions/http/routes";
import { compileRoute, problemResponse, type CompiledRoute } from "@twofactor/http";
import { toApiGatewayEvent } from "./api-gateway-event.js";
import { applyCors } from "./cors.js";
import { lambdaContext } from "./lambda-context.js";

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface HttpServerOptions {
  host: string;
  port: number;
  routes: readonly RouteEntry[];
  loadHandler: (handler: string) => Promise<HttpHandler>;
  /** The handler of API Gateway's `$default` route: what answers a request no route takes (404/405). */
  fallbackHandler: string;
  /** Honour X-Forwarded-For's rightmost address (only behind a proxy you run, which appends the peer it saw). */
  trustProxy: boolean;
  /** Browser origins allowed to call the API (CORS); none by default, as on a `prod` stage. */
  corsOrigins?: readonly string[];
  /** Serves what is not the API (the console's page and assets); answers true when it did. */
  site?: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
  log?: (line: string) => void;
}

/** API Gateway also caps payloads; this keeps a local client from streaming without end. */
const MAX_READ_BYTES = 1024 * 1024;
/**
 * Request line and headers together, as Node counts them (its default, stated): more answers 431.
 * API Gateway's HTTP API allows 10240 bytes (a quota), so nothing that passes there is refused here.
 */
const MAX_HEADER_BYTES = 16 * 1024;

/** The local API Gateway: matches routes.ts, invokes the route's Lambda handler, writes its result. */
export async function startHttpServer(options: HttpServerOptions): Promise<{ server: Server; port: number }> {
  const compiled = options.routes.map(compileRoute);
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const started = Date.now();
    void handle(req, res, compiled, options)
      .catch(() => send(res, problemResponse({ status: 500, code: "internal_error", detail: "Something went wrong on our side." })))
      .finally(() => options.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
  });
  // Longer than clients keep idle sockets (undici: 4 s), so a client never reuses a socket that the
  // server is closing at that moment (an ECONNRESET under bursts); API Gateway's own is 60 s or more.
  server.keepAliveTimeout = 65_000;
  server.on("clientError", refuseUnparsable);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * A request Node could not parse (headers over MAX_HEADER_BYTES, bytes no header may hold, a broken
 * request line) never reaches a handler: it answers a 4xx problem here — 431 for headers too
 * large, 408 for headers too slow, 400 otherwise — and the connection is closed, as Node would by
 * default but with a body like every other refusal.
 */
function refuseUnparsable(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "HPE_HEADERS_TIMEOUT" || error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const detail = status === 431 ? `The request headers are larger than ${MAX_HEADER_BYTES} bytes.` : status === 408 ? "The request headers took too long." : "The request is not valid HTTP.";
  const result = problemResponse({ status, code: status === 431 ? "headers_too_large" : status === 408 ? "request_timeout" : "malformed_request", detail });
  const body = result.body ?? "";
  const headers = Object.entries({ ...result.headers, "content-length": String(Buffer.byteLength(body)), connection: "close" })
    .map(([name, value]) => `${name}: ${String(value)}\r\n`).join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`);
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: CompiledRoute<RouteEntry>[], options: HttpServerOptions) {
  if (applyCors(req, res, options.corsOrigins ?? [])) return;
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://localhost");
  } catch {
    return send(res, problemResponse({ status: 400, code: "invalid_path", detail: "The request target is not a valid path." }));
  }
  if (options.site && (await options.site(req, res, url.pathname))) return;
  const match = routes.find((candidate) => candidate.route.method === req.method && candidate.pattern.test(url.pathname));

  const body = await readBody(req);
  if (body === undefined) return send(res, problemResponse({ status: 413, code: "payload_too_large", detail: "The body is too large." }));

  // No route takes it: API Gateway hands it to the `$default` route's function, and so does this.
  const handlerName = match?.route.handler ?? options.fallbackHandler;
  let pathParameters: Record<string, string> = {};
  if (match) {
    const values = match.pattern.exec(url.pathname)!.slice(1);
    try {
      pathParameters = Object.fromEntries(match.params.map((name, i) => [name, decodeURIComponent(values[i]!)]));
    } catch {
      return send(res, problemResponse({ status: 400, code: "invalid_path", detail: "The path is not validly encoded." }));
    }
  }
  const routeKey = match ? `${match.route.method} ${match.route.path}` : "$default";
  const event = toApiGatewayEvent(req, url, body, { routeKey, pathParameters }, sourceIp(req, options.trustProxy));
  const handler = await options.loadHandler(handlerName);
  send(res, await handler(event, lambdaContext(handlerName)));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The caller's address; a forwarded one only when trusted and only when it is an address at all.
 * The rightmost entry is the one the proxy appended: those left of it are whatever the client wrote.
 */
function sourceIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",").at(-1)?.trim() ?? "" : "";
  return (isIP(forwarded) ? forwarded : req.socket.remoteAddress || "").replace(/^::ffff:/, "");
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ?? "");
}
