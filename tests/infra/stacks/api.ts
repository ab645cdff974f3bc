import { describe, expect, it } from "vitest";
import { fallbackRoute, routes } from "@twofactor/functions/http/routes";
import { isCredentialRoute } from "../../../infra/credential-routes.js";
import { routeGroupOf } from "../../../infra/routes.js";
import { CLOUDFORMATION_RESOURCE_LIMIT, RESOURCE_SHARE_LIMIT, resourceCounts } from "../../../infra/counts.js";
import { stageConfig } from "../../../infra/stages.js";
import { functionsByHandler, refId, resources } from "../template.js";
import { main, ROUTE_STACKS, STAGE, synths, TEST_ENV } from "./synths.js";

export function describeApi(): void {
  describe("api", () => {
    it("has one route and one function per entry of routes.ts, and a $default route, each in its group's stack", () => {
      const expected = [...routes.map((r) => ({ routeKey: `${r.method} ${r.path}`, handler: r.handler, stack: routeGroupOf(r) })),
        { routeKey: "$default", handler: fallbackRoute.handler, stack: ROUTE_STACKS.at(-1)! }];
      let found = 0;
      for (const stack of ROUTE_STACKS) {
        const template = main(stack);
        const integrations = resources(template, "AWS::ApiGatewayV2::Integration");
        const fns = resources(template, "AWS::Lambda::Function");
        for (const route of Object.values(resources(template, "AWS::ApiGatewayV2::Route"))) {
          const entry = expected.find((e) => e.routeKey === route.Properties.RouteKey);
          expect(entry?.stack, String(route.Properties.RouteKey)).toBe(stack);
          // The route is added to the Gateway stack's API, and integrates its own function.
          expect(JSON.stringify(route.Properties.ApiId)).toMatch(/test-twofactor-Gateway:ExportsOutputRefApi/);
          const integrationId = refId((route.Properties.Target as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1][1]);
          const integration = integrations[integrationId!]!;
          expect(integration.Properties).toMatchObject({ IntegrationType: "AWS_PROXY", PayloadFormatVersion: "2.0" });
          expect(fns[refId(integration.Properties.IntegrationUri)!]!.Properties.Handler).toBe(entry!.handler);
          found++;
        }
        expect(functionsByHandler(template).size).toBe(Object.keys(resources(template, "AWS::ApiGatewayV2::Route")).length);
      }
      expect(found).toBe(expected.length);
    });

    it("has one HTTP API, its CORS for the stage's other origins only (the console is on the API's own origin)", () => {
      const [api] = Object.values(resources(main("Gateway"), "AWS::ApiGatewayV2::Api"));
      const cors = api!.Properties.CorsConfiguration as { AllowOrigins: string[]; AllowCredentials: boolean; ExposeHeaders: string[] };
      expect(cors).toMatchObject({ AllowOrigins: [TEST_ENV.CORS_ORIGINS], AllowCredentials: true, ExposeHeaders: ["link"] });
      expect(Object.values(resources(main("Gateway"), "AWS::ApiGatewayV2::Stage"))).toEqual([]);
    });

    it("has one stage after every route stack: throttled as a backstop, each credential route tighter, with JSON access logs", () => {
      const config = stageConfig(STAGE, TEST_ENV);
      const [stage] = Object.values(resources(main("ApiStage"), "AWS::ApiGatewayV2::Stage"));
      expect(stage!.Properties).toMatchObject({
        StageName: "$default", AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: config.throttle.rate, ThrottlingBurstLimit: config.throttle.burst },
        AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.stringContaining('"status":"$context.status"') },
      });
      const credentialRoutes = routes.filter(isCredentialRoute).map((r) => `${r.method} ${r.path}`);
      expect(credentialRoutes).toEqual(expect.arrayContaining(["POST /v1/auth/login", "POST /v1/auth/challenges/{challengeId}/totp", "POST /v1/users", "POST /v1/me/reauthenticate"]));
      const settings = stage!.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
      expect(Object.keys(settings).sort()).toEqual([...credentialRoutes].sort());
      for (const limit of Object.values(settings)) {
        expect(limit).toEqual({ ThrottlingRateLimit: config.credentialThrottle.rate, ThrottlingBurstLimit: config.credentialThrottle.burst });
        expect(limit.ThrottlingRateLimit).toBeLessThan(config.throttle.rate);
      }
      // A stage whose route settings name a route not yet created fails to deploy: the stage's stack comes after the routes'.
      const dependencies = synths.main.getStackByName("test-twofactor-ApiStage").dependencies.map((d) => d.id);
      for (const stack of ROUTE_STACKS) expect(dependencies).toContain(`test-twofactor-${stack}`);
    });

    it("keeps every stack under 80% of CloudFormation's 500 resources, on every stage", () => {
      expect(RESOURCE_SHARE_LIMIT * CLOUDFORMATION_RESOURCE_LIMIT).toBe(400);
      for (const assembly of [synths.main, synths.quiet, synths.prod]) {
        const counts = resourceCounts(assembly);
        expect(counts.length).toBeGreaterThan(10);
        for (const { stack, resources: count } of counts) {
          expect(count, `${stack}: ${count} resources`).toBeLessThanOrEqual(RESOURCE_SHARE_LIMIT * CLOUDFORMATION_RESOURCE_LIMIT);
        }
      }
    });
  });
}
