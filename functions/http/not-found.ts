import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { compileRoute, logger, noRouteResponse } from "@twofactor/http";
import { routes } from "./routes.js";

const compiled = routes.map(compileRoute);

/** The `$default` route: 404 for an unknown path, 405 with `Allow` for a known path and another method. No body is read. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => noRouteResponse(compiled, event.rawPath));
