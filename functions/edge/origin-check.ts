import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { problemResponse } from "@twofactor/http";

/** The header CloudFront adds to every request it forwards to the API (infra/edge.ts), holding the stage's origin secret. */
export const ORIGIN_SECRET_HEADER = "x-origin-verify";
/** The header CloudFront sets to the viewer's address and port (`198.51.100.7:46532`, `2001:db8::1:443`). */
export const VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * The API answers only what came through the stage's CloudFront distribution, behind its WAF: a
 * request without the origin secret (the execute-api URL called directly) is refused with 403
 * before any route runs. What passes is told the caller's address as CloudFront saw it, since API
 * Gateway's own `sourceIp` is then a CloudFront edge's; the secret goes no further (logs, routes).
 * Without a secret configured, everything is refused: a function deployed wrong fails closed.
 */
export function originCheck(secret: string | undefined): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const expected = secret ? digest(secret) : undefined;
  return {
    before: (request) => {
      const headers = request.event.headers ?? {};
      const presented = headers[ORIGIN_SECRET_HEADER];
      if (!expected || presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        return problemResponse({ status: 403, code: "forbidden", detail: "This API answers through its own site only." });
      }
      Reflect.deleteProperty(headers, ORIGIN_SECRET_HEADER);
      const http = request.event.requestContext?.http;
      if (http) http.sourceIp = viewerAddress(headers[VIEWER_ADDRESS_HEADER]) ?? "";
      return undefined;
    },
  };
}

/** The address of `address:port` as CloudFront writes it (an IPv6 address has no brackets), or nothing. */
export function viewerAddress(header: string | undefined): string | undefined {
  const colon = header?.lastIndexOf(":") ?? -1;
  if (!header || colon < 0) return undefined;
  const address = header.slice(0, colon);
  return isIP(address) ? address : undefined;
}
