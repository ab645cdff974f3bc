import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
  /** Honour X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Browser origins allowed to call the API (CORS); none by default, as on a `prod` stage. */
  corsOrigins?: readonly string[];
  log?: (line: string) => void;
}

/** API Gateway also caps payloads; this keeps a local client from streaming without end. */
const MAX_READ_BYTES = 1024 * 1024;

/** The local API Gateway: matches routes.ts, invokes the route's Lambda handler, writes its result. */
export async function startHttpServer(options: HttpServerOptions): Promise<{ server: Server; port: number }> {
  const compiled = options.routes.map(compileRoute);
  const server = createServer((req, res) => {
    const started = Date.now();
    void handle(req, res, compiled, options)
      .catch(() => send(res, problemResponse({ status: 500, code: "internal_error", detail: "Something went wrong on our side." })))
      .finally(() => options.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: CompiledRoute<RouteEntry>[], options: HttpServerOptions) {
  if (applyCors(req, res, options.corsOrigins ?? [])) return;
  const url = new URL(req.url ?? "/", "http://localhost");
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

function sourceIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim() : "";
  return (forwarded || req.socket.remoteAddress || "").replace(/^::ffff:/, "");
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ?? "");
}
