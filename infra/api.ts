import { NagSuppressions } from "cdk-nag";
import { Api as HttpApi, use, type ApiRouteProps, type StackContext } from "sst/constructs";
import { routes } from "@twofactor/functions/http/routes";
import { Bus } from "./bus.js";
import { functionProps } from "./functions.js";
import { Keys } from "./keys.js";
import { API_SUPPRESSIONS } from "./nag.js";
import { Storage } from "./storage.js";

/** The HTTP API: one route and one Lambda function per entry of functions/http/routes.ts. */
export function Api({ stack }: StackContext) {
  const { table, config } = use(Storage);
  const { key } = use(Keys);
  const { bus } = use(Bus);
  const resources = { table, key, bus, config };

  const api = new HttpApi(stack, "Api", {
    cors: config.corsOrigins.length
      ? {
        allowOrigins: config.corsOrigins,
        allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
        allowHeaders: ["content-type", "authorization", "x-device-token"],
        allowCredentials: true,
        maxAge: "1 hour",
      }
      : false,
    accessLog: { retention: config.logRetention },
    defaults: { throttle: { rate: config.throttle.rate, burst: config.throttle.burst } },
    routes: Object.fromEntries(routes.map((route): [string, ApiRouteProps<never>] => [
      `${route.method} ${route.path}`,
      { function: functionProps(stack, route.handler, resources) },
    ])),
  });

  NagSuppressions.addResourceSuppressions(api, API_SUPPRESSIONS, true);
  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}
