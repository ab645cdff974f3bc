import { STATUS_CODES } from "node:http";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { DomainError, TooManyAttemptsError, type ErrorKind } from "@twofactor/core";
import { logger } from "./logger.js";
import { RequestError } from "./request-error.js";
import type { Problem as ProblemDocument } from "./responses.js";

const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
  headers?: Record<string, string>;
}

/** Maps any error to an RFC 9457 problem, once, at the edge. Unknown errors never show their message. */
export function problemFor(error: unknown): Problem {
  if (error instanceof RequestError) {
    return { status: error.status, code: error.code, detail: error.message, errors: error.errors };
  }
  if (error instanceof DomainError) {
    const headers = error instanceof TooManyAttemptsError ? { "retry-after": String(error.retryAfterSeconds) } : undefined;
    if (error.kind === "unavailable") logger.error("dependency unavailable", { error });
    return { status: STATUS_OF[error.kind], code: error.code, detail: error.message, headers };
  }
  logger.error("unhandled error", { error });
  return { status: 500, code: "internal_error", detail: "Something went wrong on our side." };
}

export function problemResponse(problem: Problem): APIGatewayProxyStructuredResultV2 {
  const body: ProblemDocument = {
    type: `https://twofactor.dev/problems/${problem.code.replace(/_/g, "-")}`,
    title: STATUS_CODES[problem.status] ?? "Error",
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/problem+json", ...SECURITY_HEADERS, ...problem.headers },
    body: JSON.stringify(body),
  };
}
