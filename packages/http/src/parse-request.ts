import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { z } from "zod";
import { RequestError } from "./request-error.js";

/** docs/api.md: bodies over 16 KiB are refused with 413. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface RequestSchemas<B extends z.ZodType, Q extends z.ZodType> {
  body: B;
  query: Q;
}

/**
 * Size, media type, JSON syntax, then the schema: each refusal is a 4xx that names the problem.
 * A route without a body schema takes no body at all (or `{}`).
 */
export function parseBody<B extends z.ZodType>(event: APIGatewayProxyEventV2, schema: B): z.infer<B> {
  const raw = event.body === undefined || event.body === null ? "" : event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) {
    throw new RequestError(413, "payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  let json: unknown = undefined;
  if (raw.trim() !== "") {
    const type = event.headers?.["content-type"] ?? "";
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      throw new RequestError(415, "unsupported_media_type", "Send the body as application/json.");
    }
    try {
      json = JSON.parse(raw);
    } catch {
      throw new RequestError(400, "malformed_json", "The body is not valid JSON.");
    }
  }
  return validate(schema, json, "body");
}

export function parsePath<P extends z.ZodType>(event: APIGatewayProxyEventV2, schema: P): z.infer<P> {
  return validate(schema, event.pathParameters ?? {}, "path");
}

export function parseQuery<Q extends z.ZodType>(event: APIGatewayProxyEventV2, schema: Q): z.infer<Q> {
  return validate(schema, event.queryStringParameters ?? {}, "query");
}

function validate<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || where,
    message: issue.message,
  }));
  throw new RequestError(400, "validation_failed", `The request ${where} is invalid.`, errors);
}
