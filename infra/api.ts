import { CfnRoute, CfnStage } from "aws-cdk-lib/aws-apigatewayv2";
import { MathExpression } from "aws-cdk-lib/aws-cloudwatch";
import { NagSuppressions } from "cdk-nag";
import { Api as HttpApi, use, type ApiRouteProps, type StackContext } from "sst/constructs";
import { fallbackRoute, routes, type RouteEntry } from "@twofactor/functions/http/routes";
import { addAlarm, addFunctionAlarms, Alarms, FIVE_MINUTES } from "./alarms.js";
import { Bus } from "./bus.js";
import { functionProps, handlerId } from "./functions.js";
import { Keys } from "./keys.js";
import { API_SUPPRESSIONS } from "./nag.js";
import { Storage } from "./storage.js";

/**
 * Routes that check a credential or create an account: password and second-factor checks, sign-up
 * (argon2 and a new account per call), reauthentication. Each gets the stage's tighter per-route throttle.
 */
export function isCredentialRoute(route: Pick<RouteEntry, "method" | "path">): boolean {
  return route.path.startsWith("/v1/auth/") || route.path.startsWith("/v1/me/reauthenticate") ||
    (route.method === "POST" && route.path === "/v1/users");
}

/** The API's 5xx share (percent) over five minutes that pages, once at least this many requests came in. */
export const API_5XX_PERCENT = 1;
export const API_5XX_MIN_REQUESTS = 20;

/**
 * The HTTP API: one route and one Lambda function per entry of functions/http/routes.ts, plus the
 * `$default` route (404/405 as problem+json for anything else). Stage throttling for all, tighter
 * route throttling for credential routes; alarms on the 5xx rate and on every function's errors
 * and throttles.
 */
export function Api({ stack }: StackContext) {
  const { table, config } = use(Storage);
  const { key, branchKeys } = use(Keys);
  const { bus } = use(Bus);
  const { topic } = use(Alarms);
  const resources = { table, key, branchKeys, bus, config };

  const handlers = new Map<string, string>([
    ...routes.map((route): [string, string] => [`${route.method} ${route.path}`, route.handler]),
    ["$default", fallbackRoute.handler],
  ]);
  const api = new HttpApi(stack, "Api", {
    cors: config.corsOrigins.length
      ? {
        allowOrigins: config.corsOrigins,
        allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
        allowHeaders: ["content-type", "authorization", "x-device-token"],
        allowCredentials: true,
        exposeHeaders: ["link"], // the audit log's CSV names its next page there
        maxAge: "1 hour",
      }
      : false,
    accessLog: { retention: config.logRetention },
    defaults: { throttle: { rate: config.throttle.rate, burst: config.throttle.burst } },
    routes: Object.fromEntries([...handlers].map(([routeKey, handler]): [string, ApiRouteProps<never>] => [
      routeKey,
      { function: functionProps(stack, handler, resources) },
    ])),
  });

  // Route throttling lives on the stage, keyed by route; the stage must come after those routes.
  const cfnStage = api.cdk.httpApi.defaultStage!.node.defaultChild as CfnStage;
  const limited = routes.filter(isCredentialRoute).map((route) => `${route.method} ${route.path}`);
  // RouteSettings is free-form JSON to CDK: the keys go out as written, so in CloudFormation's case.
  cfnStage.routeSettings = Object.fromEntries(limited.map((routeKey) => [routeKey, {
    ThrottlingRateLimit: config.credentialThrottle.rate,
    ThrottlingBurstLimit: config.credentialThrottle.burst,
  }]));
  for (const route of api.node.findAll().filter((c): c is CfnRoute => c instanceof CfnRoute)) {
    if (limited.includes(route.routeKey)) cfnStage.addDependency(route);
  }

  for (const [routeKey, handler] of handlers) {
    addFunctionAlarms(stack, handlerId(handler), topic, api.getFunction(routeKey)!, handler);
  }
  const httpApi = api.cdk.httpApi;
  addAlarm(stack, "Api5xxRateAlarm", topic, {
    description: `Over ${API_5XX_PERCENT}% of API requests answered 5xx in five minutes. Runbook: README, "Alarms": Api5xxRate.`,
    metric: new MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: {
        errors: httpApi.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }),
        requests: httpApi.metricCount({ period: FIVE_MINUTES, statistic: "Sum" }),
      },
      period: FIVE_MINUTES,
      label: "5xx %",
    }),
    threshold: API_5XX_PERCENT,
  });

  NagSuppressions.addResourceSuppressions(api, API_SUPPRESSIONS, true);
  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}
