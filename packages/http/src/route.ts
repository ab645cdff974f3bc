import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { z } from "zod";
import { authenticate, type Deps, type RequestContext, type Session } from "@twofactor/core";
import { parseBody, parseQuery } from "./parse-request.js";
import { problemFor, problemResponse, SECURITY_HEADERS } from "./problem.js";
import { RequestError } from "./request-error.js";

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** `full`: a full session; `setup`: also a setup-scoped one (enrollment while a team enforces 2FA). */
export type Access = "public" | "full" | "setup";

export interface RouteOptions<B extends z.ZodType, Q extends z.ZodType> {
  access: Access;
  body?: B;
  query?: Q;
}

export interface RouteInput<B, Q, S> {
  deps: Deps;
  body: B;
  query: Q;
  path: Record<string, string>;
  session: S;
  context: RequestContext;
  headers: Record<string, string | undefined>;
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

/**
 * Builds a Lambda handler for one route: a small middy stack of plain steps — errors to problem+json,
 * the session, the body and query — around a function that calls one use case.
 */
export function createRoute(getDeps: () => Promise<Deps>) {
  return function route<B extends z.ZodType = typeof NO_BODY, Q extends z.ZodType = typeof ANY_QUERY, A extends Access = Access>(
    options: RouteOptions<B, Q> & { access: A },
    handle: (input: RouteInput<z.infer<B>, z.infer<Q>, A extends "public" ? undefined : Session>) => Promise<Reply>,
  ) {
    return middy<Event, Result, Error, Context>()
      .use({ onError: (request) => { request.response = problemResponse(problemFor(request.error)); } })
      .handler(async (event) => {
        const deps = await getDeps();
        const session = options.access === "public" ? undefined : await requireSession(deps, event, options.access);
        const reply = await handle({
          deps,
          body: parseBody(event, options.body ?? NO_BODY) as z.infer<B>,
          query: parseQuery(event, options.query ?? ANY_QUERY) as z.infer<Q>,
          path: (event.pathParameters ?? {}) as Record<string, string>,
          session: session as A extends "public" ? undefined : Session,
          context: requestContext(event),
          headers: event.headers ?? {},
          rawPath: event.rawPath ?? "",
        });
        return toResult(reply);
      });
  };
}

async function requireSession(deps: Deps, event: Event, access: Access): Promise<Session> {
  const header = event.headers?.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const session = await authenticate(deps, token);
  if (session.scope !== "full" && access === "full") {
    throw new RequestError(403, "two_factor_setup_required", "Set up two-factor authentication to continue.");
  }
  return session;
}

function requestContext(event: Event): RequestContext {
  const { sourceIp, userAgent } = event.requestContext.http;
  return { ...(sourceIp ? { ip: sourceIp } : {}), ...(userAgent ? { userAgent } : {}) };
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
