import { HttpRoute, HttpRouteKey, type HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { FilterPattern, MetricFilter } from "aws-cdk-lib/aws-logs";
import { NagSuppressions } from "cdk-nag";
import { Function, use, type StackContext } from "sst/constructs";
import { fallbackRoute, routes, type RouteEntry } from "@twofactor/functions/http/routes";
import { addFunctionAlarms, Alarms, KEY_SERVICE_FAILURES_METRIC } from "./alarms.js";
import { Bus } from "./bus.js";
import { Edge } from "./edge.js";
import { functionProps, handlerId, metricsNamespace } from "./functions.js";
import { Gateway } from "./gateway.js";
import { Keys } from "./keys.js";
import { API_SUPPRESSIONS } from "./nag.js";
import { serviceEnvironment } from "./origin.js";
import { grantsFor } from "./permissions.js";
import { Storage } from "./storage.js";

/**
 * The API's routes, one stack per group of paths, so that each stack stays well under
 * CloudFormation's 500 resources as routes are added (tests/infra/stacks.test.ts fails above 80%).
 * A route goes to the first group whose paths it is under; the last group takes the rest, and the
 * `$default` route. A route is a function, its log group, role and policy, an integration, the API
 * route and its invoke permission, and on a stage with alarms its error-rate alarm.
 */
export const ROUTE_GROUPS = [
  { stack: "ApiMe", under: ["/v1/me"] },
  { stack: "ApiTeams", under: ["/v1/teams"] },
  { stack: "ApiAccounts", under: [] as string[] },
] as const;

export type RouteGroup = (typeof ROUTE_GROUPS)[number]["stack"];

export function routeGroupOf(route: Pick<RouteEntry, "path">): RouteGroup {
  const within = (prefix: string) => route.path === prefix || route.path.startsWith(`${prefix}/`);
  return (ROUTE_GROUPS.find((group) => group.under.some(within)) ?? ROUTE_GROUPS.at(-1)!).stack;
}

/** Every route key (`POST /v1/auth/login`, `$default`) of a group, with its handler. */
export function routesOf(group: RouteGroup): { routeKey: string; method?: string; path?: string; handler: string }[] {
  return [
    ...routes.filter((route) => routeGroupOf(route) === group)
      .map((route) => ({ routeKey: `${route.method} ${route.path}`, method: route.method, path: route.path, handler: route.handler })),
    ...(group === ROUTE_GROUPS.at(-1)!.stack ? [{ routeKey: "$default", handler: fallbackRoute.handler }] : []),
  ];
}

/**
 * The pattern of the log line a vault function writes when the key service (KMS or the branch key
 * store) fails it: packages/http logs a DependencyUnavailableError as "dependency unavailable", and
 * the vault raises it with this message. tests/infra counts such a line from a run with KMS down.
 */
export const KEY_SERVICE_FAILURE_LOG = { message: "dependency unavailable", "error.message": "The key service is unavailable." } as const;

function routeGroupStack({ stack }: StackContext, group: RouteGroup) {
  const { table, config } = use(Storage);
  const { key, branchKeys } = use(Keys);
  const { bus } = use(Bus);
  const { topic } = use(Alarms);
  const { httpApi, originSecret } = use(Gateway);
  const { host } = use(Edge);
  const resources = { table, key, branchKeys, bus, config, originSecret, service: serviceEnvironment(config, host) };
  const functions: Function[] = [];
  for (const route of routesOf(group)) {
    const id = handlerId(route.handler);
    const props = functionProps(stack, route.handler, resources);
    const fn = new Function(stack, id, props);
    new HttpRoute(stack, `${id}Route`, {
      httpApi,
      routeKey: route.path ? HttpRouteKey.with(route.path, route.method as HttpMethod) : HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration(`${id}Integration`, fn),
    });
    functions.push(fn);
    if (grantsFor(route.handler).includes("kms:Decrypt@branch-keys")) {
      new MetricFilter(stack, `${id}KeyServiceFailures`, {
        logGroup: props.logGroup!,
        metricNamespace: metricsNamespace(stack.stage),
        metricName: KEY_SERVICE_FAILURES_METRIC,
        filterPattern: FilterPattern.all(...Object.entries(KEY_SERVICE_FAILURE_LOG).map(([field, value]) => FilterPattern.stringValue(`$.${field}`, "=", value))),
        metricValue: "1",
      });
    }
    addFunctionAlarms(stack, id, topic, fn, route.handler);
  }
  NagSuppressions.addStackSuppressions(stack, API_SUPPRESSIONS);
  return { functions };
}

export function ApiMe(ctx: StackContext) {
  return routeGroupStack(ctx, "ApiMe");
}

export function ApiTeams(ctx: StackContext) {
  return routeGroupStack(ctx, "ApiTeams");
}

export function ApiAccounts(ctx: StackContext) {
  return routeGroupStack(ctx, "ApiAccounts");
}
