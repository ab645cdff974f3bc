import { isIP } from "node:net";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import * as z from "zod";
import { authenticate, authenticateWithAccount, type Account, type Accounts, type AuthenticatedSession, type Deps, type RequestContext } from "@twofactor/core";
import { MAX_IP_CHARS, MAX_USER_AGENT_CHARS } from "@twofactor/events";
import { logger } from "./logger.js";
import { parseBody, parsePath, parseQuery } from "./parse-request.js";
import { problemFor, problemResponse, SECURITY_HEADERS } from "./problem.js";
import { RequestError } from "./request-error.js";

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** `full`: a full session; `setup`: also a setup-scoped one (enrollment while a team enforces 2FA). */
export type Access = "public" | "full" | "setup";

export interface RouteOptions<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  access: Access;
  body?: B;
  query?: Q;
  /**
   * The path parameters (`{challengeId}`, `{keyId}`, …), checked for length and alphabet before
   * anything else — the session lookup included — so that no malformed id reaches a store
   * (400 `validation_failed`). Every route with a path parameter should pass one.
   */
  params?: P;
  /**
   * The route's use case reads the signed-in user's account first: the account's query goes out
   * with the session's read (the token names the user), and the use case's first load gets it.
   */
  preload?: "account";
}

export interface RouteInput<B, Q, S, P = Record<string, string>, D = Deps> {
  /** What the use case may touch; `undefined` for a static route (no store: health, the OpenAPI document). */
  deps: D;
  body: B;
  query: Q;
  path: P;
  session: S;
  context: RequestContext;
  headers: Record<string, string | undefined>;
  cookies: Record<string, string>;
  /** The request's path as sent (for links to the next page). */
  rawPath: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A body that is not JSON (e.g. CSV), sent as is with its own content type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
  cookies?: string[];
}

const NO_BODY = z.strictObject({}).optional();
const ANY_QUERY = z.object({});
const ANY_PATH = z.record(z.string(), z.string());

type BodyOf<O> = O extends { body: infer B extends z.ZodType } ? B : typeof NO_BODY;
type QueryOf<O> = O extends { query: infer Q extends z.ZodType } ? Q : typeof ANY_QUERY;
type PathOf<O> = O extends { params: infer P extends z.ZodType } ? P : typeof ANY_PATH;
type SessionOf<O> = O extends { access: "public" } ? undefined : AuthenticatedSession;

/** The function of a route whose options (a routes.ts entry) are `O`: typed body, query, path and session. */
export type Handle<O extends RouteOptions, D = Deps> =
  (input: RouteInput<z.infer<BodyOf<O>>, z.infer<QueryOf<O>>, SessionOf<O>, z.infer<PathOf<O>>, D>) => Promise<Reply>;

/**
 * Builds a Lambda handler for one route: a small middy stack of plain steps — errors to problem+json,
 * the session, the body and query — around a function that calls one use case.
 */
export function createRoute(getDeps: () => Promise<Deps>) {
  return function route<const O extends RouteOptions>(options: O, handle: Handle<O>) {
    return stack(options, handle, async (event) => {
      const deps = await getDeps();
      if (options.access === "public") return { deps, session: undefined };
      if (options.preload !== "account") return { deps, session: await requireSession(deps, event, options.access) };
      const { session, account } = await authenticateWithAccount(deps, bearerToken(event));
      requireScope(session, options.access);
      return { deps: { ...deps, accounts: preloaded(deps.accounts, account) }, session };
    });
  };
}

/**
 * The same stack for a public route that touches no store (health, the OpenAPI document): nothing
 * is composed, so its bundle holds no store, no AWS client and no session code.
 */
export function staticRoute<const O extends RouteOptions & { access: "public" }>(options: O, handle: Handle<O, undefined>) {
  return stack(options, handle, async () => ({ deps: undefined, session: undefined }));
}

function stack<const O extends RouteOptions, D>(
  options: O,
  handle: Handle<O, D>,
  resolve: (event: Event) => Promise<{ deps: D; session: AuthenticatedSession | undefined }>,
) {
  return middy<Event, Result, Error, Context>()
    // Every log line of the invocation carries its request id, function and cold start.
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({ onError: (request) => { request.response = problemResponse(problemFor(request.error)); } })
    .handler(async (event) => {
      const path = parsePath(event, options.params ?? ANY_PATH) as z.infer<PathOf<O>>;
      const { deps, session } = await resolve(event);
      const reply = await handle({
        deps,
        body: parseBody(event, options.body ?? NO_BODY) as z.infer<BodyOf<O>>,
        query: parseQuery(event, options.query ?? ANY_QUERY) as z.infer<QueryOf<O>>,
        path,
        session: session as SessionOf<O>,
        context: requestContext(event),
        headers: event.headers ?? {},
        cookies: parseCookies(event.cookies),
        rawPath: event.rawPath ?? "",
      });
      return toResult(reply);
    });
}

async function requireSession(deps: Deps, event: Event, access: Access): Promise<AuthenticatedSession> {
  const session = await authenticate(deps, bearerToken(event));
  requireScope(session, access);
  return session;
}

function bearerToken(event: Event): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(event.headers?.authorization ?? "")?.[1];
}

function requireScope(session: AuthenticatedSession, access: Access): void {
  if (session.scope !== "full" && access === "full") {
    throw new RequestError(403, "two_factor_setup_required", "Set up two-factor authentication to continue.");
  }
}

/** The accounts store whose first load of the signed-in user answers what the request read already; later loads read again. */
function preloaded(accounts: Accounts, account: Account): Accounts {
  let first: Account | undefined = account;
  return Object.assign(Object.create(accounts) as Accounts, {
    load: (userId: string) => {
      const answer = userId === first?.profile.id ? first : undefined;
      first = undefined;
      return answer ? Promise.resolve(answer) : accounts.load(userId);
    },
  });
}

/** API Gateway v2 hands cookies over as `name=value` strings; the first of a name wins. */
function parseCookies(cookies: string[] | undefined): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const cookie of cookies ?? []) {
    const at = cookie.indexOf("=");
    if (at > 0) parsed[cookie.slice(0, at).trim()] ??= cookie.slice(at + 1).trim();
  }
  return parsed;
}

/**
 * Who is calling, bounded before it reaches an event or an item: the user agent cut to 512
 * characters (code points; a lone surrogate, which no store can encode, becomes U+FFFD), the address
 * kept only when it is one. The event envelope refuses anything longer, so this is the one place
 * where a client's say about itself is made to fit.
 */
export function requestContext(event: Event): RequestContext {
  const { sourceIp, userAgent } = event.requestContext?.http ?? {};
  const ip = typeof sourceIp === "string" && sourceIp.length <= MAX_IP_CHARS && isIP(sourceIp) ? sourceIp : undefined;
  const agent = typeof userAgent === "string" ? boundUserAgent(userAgent) : "";
  return { ...(ip ? { ip } : {}), ...(agent ? { userAgent: agent } : {}) };
}

/** Well-formed and at most MAX_USER_AGENT_CHARS code points, cut without splitting a surrogate pair. */
export function boundUserAgent(userAgent: string): string {
  let cut = "";
  let count = 0;
  for (const character of userAgent) {
    if (count++ === MAX_USER_AGENT_CHARS) break;
    cut += character.length === 1 && /[\uD800-\uDFFF]/.test(character) ? "\uFFFD" : character;
  }
  return cut;
}

function toResult(reply: Reply): Result {
  return {
    statusCode: reply.status,
    headers: {
      ...SECURITY_HEADERS,
      ...(reply.body === undefined ? {} : { "content-type": "application/json" }),
      ...reply.headers,
    },
    ...(reply.cookies ? { cookies: reply.cookies } : {}),
    body: reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body)),
  };
}
