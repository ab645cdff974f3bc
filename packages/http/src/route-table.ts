import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { problemResponse } from "./problem.js";

/** A route as routes.ts declares it: a method and a path with `{name}` parameters. */
export interface RouteKey {
  method: string;
  path: string;
}

export interface CompiledRoute<R extends RouteKey> {
  route: R;
  pattern: RegExp;
  params: string[];
}

/** `/v1/me/security-keys/{keyId}` → a pattern matching one path segment per parameter. */
export function compileRoute<R extends RouteKey>(route: R): CompiledRoute<R> {
  const params: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}$`), params };
}

/**
 * The answer for a request that no route takes: 405 with `Allow` when the path exists under other
 * methods, 404 otherwise. API Gateway's `$default` route and the local server give this same answer.
 */
export function noRouteResponse(routes: readonly CompiledRoute<RouteKey>[], path: string): APIGatewayProxyStructuredResultV2 {
  const allowed = routes.filter((compiled) => compiled.pattern.test(path)).map((compiled) => compiled.route.method);
  return problemResponse(allowed.length
    ? { status: 405, code: "method_not_allowed", detail: `Use ${allowed.join(" or ")}.`, headers: { allow: allowed.join(", ") } }
    : { status: 404, code: "not_found", detail: "No such endpoint." });
}
