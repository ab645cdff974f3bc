import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { originCheck } from "./origin-check.js";

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * What every deployed HTTP function runs around its route (infra/bundling.ts wraps each one at build
 * time; the local server calls routes directly): the origin check, then an X-Ray trace of the
 * invocation with its AWS calls (Powertools Tracer captures outgoing HTTPS requests), the cold start
 * and the service annotated. Responses are not put in the trace: they may hold tokens.
 */
export function throughCloudFront(route: HttpHandler, secret = process.env.ORIGIN_VERIFY_SECRET): HttpHandler {
  const tracer = new Tracer();
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>(route)
    .use(originCheck(secret))
    .use(captureLambdaHandler(tracer, { captureResponse: false }));
}
