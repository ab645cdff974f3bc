import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { staticRoute } from "@twofactor/http";
import { lambdaContext } from "@twofactor/local";
import { apiEvent } from "../../tests/support/lambda-bundle.js";
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER, viewerAddress } from "./origin-check.js";
import { throughCloudFront } from "./through-cloudfront.js";

/** A real route (packages/http's stack) that answers what it was told about the caller and the headers it saw. */
const probe = staticRoute({ access: "public" }, async ({ context, headers }) => ({ status: 200, body: { context, headers } }));
const SECRET = "s3cr3t-of-the-stage";
const wrapped = throughCloudFront(probe, SECRET);
const context = lambdaContext("functions/http/probe.handler") as Context;

function viaCloudFront(headers: Record<string, string>): APIGatewayProxyEventV2 {
  // API Gateway's sourceIp is the CloudFront edge that connected, not the viewer.
  const event = apiEvent({ method: "GET", path: "/v1/probe", route: "/v1/probe", headers });
  event.requestContext.http.sourceIp = "130.176.1.1";
  return event;
}

describe("an HTTP function behind CloudFront", () => {
  it("refuses with 403 problem+json, before its route runs, a request without the stage's origin secret or with another", async () => {
    const refused: Record<string, string>[] = [{}, { [ORIGIN_SECRET_HEADER]: "guessed" }, { [ORIGIN_SECRET_HEADER]: "" }];
    for (const headers of refused) {
      const answer = await wrapped(viaCloudFront(headers), context);
      expect(answer.statusCode).toBe(403);
      expect(answer.headers?.["content-type"]).toBe("application/problem+json");
      expect(JSON.parse(answer.body!)).toMatchObject({ status: 403, code: "forbidden" });
    }
  });

  it("refuses everything when no secret is configured", async () => {
    const answer = await throughCloudFront(probe, undefined)(viaCloudFront({ [ORIGIN_SECRET_HEADER]: "" }), context);
    expect(answer.statusCode).toBe(403);
  });

  it("tells the route the viewer's address CloudFront saw, IPv4 or IPv6, and not the secret", async () => {
    for (const [header, ip] of [["198.51.100.7:46532", "198.51.100.7"], ["2001:db8::7:443", "2001:db8::7"]] as const) {
      const answer = await wrapped(viaCloudFront({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: header }), context);
      expect(answer.statusCode).toBe(200);
      const { context: seen, headers } = JSON.parse(answer.body!) as { context: { ip?: string }; headers: Record<string, string> };
      expect(seen.ip).toBe(ip);
      expect(headers).not.toHaveProperty(ORIGIN_SECRET_HEADER);
    }
  });

  it("never takes the CloudFront edge's address for the caller's", async () => {
    const answer = await wrapped(viaCloudFront({ [ORIGIN_SECRET_HEADER]: SECRET }), context);
    expect((JSON.parse(answer.body!) as { context: { ip?: string } }).context.ip).toBeUndefined();
    expect([undefined, "", "garbage", "999.1.1.1:80", "198.51.100.7"].map(viewerAddress)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
