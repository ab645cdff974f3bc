import { STATUS_CODES } from "node:http";
import * as z from "zod";
import { MAX_BODY_BYTES } from "./parse-request.js";
import { components, problem } from "./responses.js";
import type { Access } from "./route.js";
import * as schemas from "./schemas.js";

/**
 * The API's OpenAPI 3.1 document, generated and never written by hand: one operation per route of
 * routes.ts, from what each entry declares (summary, access, the request schemas its handler
 * validates with, its answers by status with their zod schemas, the error codes of its use case),
 * plus what the shared middy stack answers on every route (400, 401, 413, 415, 503).
 */

/** A route as routes.ts lists it, with its contract. `handler` (`functions/http/sign-up.handler`) names the operation. */
export interface RouteContract {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  readonly handler: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Who may call: anyone, or the holder of a session. */
  readonly access: Access;
  /** The request schemas the handler validates with (exported by schemas.ts). */
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  /** The schema of the path parameters (`{challengeId}`, …), checked before anything else. */
  readonly params?: z.ZodObject;
  /** The use case reads the signed-in user's account first: it is read beside the session (RouteOptions.preload). */
  readonly preload?: "account";
  /** Success answers by status: what the status means and the body's schema (of responses.ts; none for 204). */
  readonly responses: Readonly<Partial<Record<number, { readonly description: string; readonly body?: z.ZodType; readonly alsoCsv?: boolean }>>>;
  /** The codes the use case refuses with, by status; the stack's own codes are added. */
  readonly errors?: Readonly<Partial<Record<number, readonly string[]>>>;
}

type Schema = Record<string, unknown>;

const COMPONENTS = "#/components/schemas/";
const ref = (name: string) => ({ $ref: COMPONENTS + name });

const PATH_PARAMETERS: Record<string, string> = {
  challengeId: "The `challenge.id` of a `two_factor_required` login answer.",
  keyId: "A security key's `id`.",
  deviceId: "A trusted device's `id`.",
  teamId: "A team's `id`.",
  userId: "A member's `userId`.",
};

export function openApiDocument(routes: readonly RouteContract[]) {
  const schemasOut: Record<string, Schema> = responseComponents();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, schemasOut);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "TwoFactor API",
      version: "1.0.0",
      description: [
        "Two-factor authentication: authenticator apps (TOTP), security keys (WebAuthn) and recovery codes.",
        "JSON in and out; bodies over 16 KiB answer 413, and unknown fields in a body are refused (400).",
        "Errors are RFC 9457 problem documents (`application/problem+json`) with a stable snake_case `code`.",
        "Authenticated calls carry `Authorization: Bearer <session token>`. Timestamps are ISO-8601 UTC, ids opaque.",
        "5 failed second-factor checks in a row lock the account's second factor for 15 minutes (429 with `Retry-After`).",
      ].join("\n"),
    },
    servers: [{ url: "http://localhost:3000", description: "`npm start` (PORT defaults to 3000)" }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: schemasOut,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "The `session.token` of a login." },
      },
    },
  };
}

function operation(route: RouteContract, schemasOut: Record<string, Schema>) {
  const parameters = [...pathParameters(route), ...(route.query ? queryParameters(route.query) : [])];
  const responses: Record<string, unknown> = {};
  for (const [status, success] of Object.entries(route.responses)) {
    responses[status] = {
      description: success!.description,
      ...(success!.body ? {
        content: {
          "application/json": { schema: ref(componentName(success!.body, route)) },
          ...(success!.alsoCsv ? { "text/csv": { schema: { type: "string", description: "With `Accept: text/csv`: the same page as CSV." } } } : {}),
        },
      } : {}),
    };
  }
  for (const [status, codes] of Object.entries(errorCodes(route))) responses[status] = problemResponse(Number(status), codes);
  return {
    operationId: operationId(route.handler),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.access === "public" ? {} : { security: [{ bearerAuth: [] }] }),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBody(route.body, schemasOut) } : {}),
    responses,
  };
}

/**
 * What the stack answers on every route besides the use case's own codes: every route parses a
 * body (one without a body schema takes none, or `{}`), so every route can refuse one; routes with
 * a session refuse a call without one.
 */
function errorCodes(route: RouteContract): Record<number, string[]> {
  const codes: Record<number, string[]> = {
    400: ["malformed_json", "validation_failed"],
    413: ["payload_too_large"],
    415: ["unsupported_media_type"],
    503: ["service_unavailable"],
  };
  if (route.access !== "public") codes[401] = ["unauthenticated"];
  // A setup-scoped session (a team enforces 2FA, the user has none yet) may call only setup routes.
  if (route.access === "full") codes[403] = ["two_factor_setup_required"];
  for (const [status, extra] of Object.entries(route.errors ?? {})) {
    codes[Number(status)] = [...(codes[Number(status)] ?? []), ...(extra ?? [])];
  }
  return Object.fromEntries(Object.entries(codes).sort(([a], [b]) => Number(a) - Number(b)).map(([status, list]) => [status, [...new Set(list)].sort()]));
}

function problemResponse(status: number, codes: string[]) {
  const described = status === 413 ? `The body is larger than ${MAX_BODY_BYTES} bytes.` : `${STATUS_CODES[status] ?? "Error"}: ${codes.map((c) => `\`${c}\``).join(", ")}.`;
  return {
    description: described,
    ...(status === 429 ? {
      headers: { "Retry-After": { description: "Seconds until the lock ends.", required: true, schema: { type: "integer", minimum: 1 } } },
    } : {}),
    content: {
      "application/problem+json": {
        schema: { allOf: [ref(componentName(problem)), { type: "object", properties: { status: { const: status }, code: { enum: codes } } }] },
      },
    },
  };
}

/** The answers' components: every schema responses.ts registers, its references to the others as `$ref`s. */
function responseComponents(): Record<string, Schema> {
  const generated = z.toJSONSchema(components, { io: "output", uri: (id) => COMPONENTS + id }) as { schemas: Record<string, Schema> };
  return Object.fromEntries(Object.entries(generated.schemas).map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [name, schema]));
}

function componentName(schema: z.ZodType, route?: RouteContract): string {
  const name = components.get(schema)?.id;
  if (!name) throw new Error(`${route ? `${route.method} ${route.path}: ` : ""}answer with a schema that responses.ts registers as a component.`);
  return name;
}

function requestBody(schema: z.ZodType, schemasOut: Record<string, Schema>) {
  const name = requestSchemaName(schema);
  schemasOut[name] = jsonSchema(schema);
  return { required: true, content: { "application/json": { schema: ref(name) } } };
}

/** The component name of a request schema: its export name in schemas.ts (`signUpBody` → `SignUpBody`). */
function requestSchemaName(schema: z.ZodType): string {
  const exported = Object.entries(schemas).find(([, candidate]) => candidate === schema)?.[0];
  if (!exported) throw new Error("Document only the request schemas exported by schemas.ts.");
  return exported[0]!.toUpperCase() + exported.slice(1);
}

/** What a client may send: the schema's input side, without the `$schema` key (the dialect is the document's). */
function jsonSchema(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Schema;
  return rest;
}

function pathParameters(route: RouteContract): Schema[] {
  const declared = route.params ? (jsonSchema(route.params) as { properties?: Record<string, Schema> }).properties ?? {} : {};
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: declared[name!] ?? { type: "string" },
    ...(PATH_PARAMETERS[name!] ? { description: PATH_PARAMETERS[name!] } : {}),
  }));
}

function queryParameters(query: z.ZodObject): Schema[] {
  const schema = jsonSchema(query) as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

/** `functions/http/sign-up.handler` → `signUp`. */
function operationId(handler: string): string {
  const base = handler.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
  return base.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("");
}
