import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Deps } from "@twofactor/core";
import { logger } from "./logger.js";
import { createRoute } from "./route.js";

/** What an on-call engineer searches the logs by: every line of an invocation carries it. */
const lines: Record<string, unknown>[] = [];
beforeAll(() => {
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.startsWith("{")) lines.push(JSON.parse(text) as Record<string, unknown>);
    return true;
  });
});
afterAll(() => vi.restoreAllMocks());

const event = (): APIGatewayProxyEventV2 => ({
  version: "2.0", routeKey: "GET /v1/test", rawPath: "/v1/test", rawQueryString: "", headers: {}, isBase64Encoded: false,
  requestContext: {
    accountId: "1", apiId: "a", domainName: "d", domainPrefix: "d", requestId: "api-req", routeKey: "GET /v1/test", stage: "$default",
    time: "", timeEpoch: 0, http: { method: "GET", path: "/v1/test", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
  },
});
const context = (awsRequestId: string) => ({
  awsRequestId, functionName: "prod-twofactor-HttpTest", functionVersion: "$LATEST", memoryLimitInMB: "1024",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:prod-twofactor-HttpTest", getRemainingTimeInMillis: () => 10_000,
}) as unknown as Context;

describe("a route's logs", () => {
  // (Whether the first is a cold start depends on what ran first in this process: Powertools keeps one flag.)
  it("carry the invocation's request id, function and cold start, as JSON", async () => {
    const handler = createRoute(async () => ({}) as Deps)({ access: "public" }, async () => {
      logger.info("handled");
      return { status: 200, body: { ok: true } };
    });
    expect((await handler(event(), context("req-1"))).statusCode).toBe(200);
    expect((await handler(event(), context("req-2"))).statusCode).toBe(200);
    const handled = lines.filter((line) => line.message === "handled");
    expect(handled).toEqual([
      expect.objectContaining({ level: "INFO", function_request_id: "req-1", cold_start: expect.any(Boolean), function_name: "prod-twofactor-HttpTest" }),
      expect.objectContaining({ level: "INFO", function_request_id: "req-2", cold_start: false }),
    ]);
  });
});
