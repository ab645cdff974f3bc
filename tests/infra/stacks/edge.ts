import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "@twofactor/console";
import { ORIGIN_SECRET_HEADER } from "@twofactor/functions/edge/origin-check";
import { CREDENTIAL_PATHS } from "../../../infra/credential-routes.js";
import { API_PATH_PATTERN } from "../../../infra/edge.js";
import { stageConfig } from "../../../infra/stages.js";
import { MANAGED_RULE_GROUPS, RATE_LIMITED_BODY, REDACTED_HEADERS, WAF_WINDOW_SECONDS } from "../../../infra/waf.js";
import { refId, resources } from "../template.js";
import { main, prod, PROD_ENV, quiet, STAGE, synths, TEST_ENV } from "./synths.js";

/** AWS's managed CloudFront policies, by their fixed ids. */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

type Behavior = Record<string, unknown> & { TargetOriginId: string; ResponseHeadersPolicyId: unknown };
type Origin = Record<string, unknown> & { Id: string; DomainName: unknown };
const distributionOf = (template = main("Edge")) => {
  const [distribution] = Object.values(resources(template, "AWS::CloudFront::Distribution"));
  return distribution!.Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior; CacheBehaviors: (Behavior & { PathPattern: string })[]; Origins: Origin[]; WebACLId: unknown;
    Aliases?: string[]; ViewerCertificate?: Record<string, unknown>;
  };
};
const webAclOf = () => Object.values(resources(main("Edge"), "AWS::WAFv2::WebACL"))[0]!.Properties as Record<string, unknown> & {
  Rules: { Name: string; Priority: number; Statement: Record<string, any>; Action?: any; OverrideAction?: unknown }[];
};

export function describeEdge(): void {
  describe("edge: one origin", () => {
    it("serves the console from a private bucket through origin access control, no OAI", () => {
      const edge = main("Edge");
      const config = distributionOf();
      const s3 = config.Origins.find((origin) => origin.Id === config.DefaultCacheBehavior.TargetOriginId)!;
      expect(s3).toMatchObject({ S3OriginConfig: { OriginAccessIdentity: "" }, OriginAccessControlId: { "Fn::GetAtt": [expect.any(String), "Id"] } });
      const [oac] = Object.values(resources(edge, "AWS::CloudFront::OriginAccessControl"));
      expect(oac!.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: "s3", SigningBehavior: "always", SigningProtocol: "sigv4" });
      expect(Object.keys(resources(edge, "AWS::CloudFront::CloudFrontOriginAccessIdentity"))).toEqual([]);
      const [bucket] = Object.values(resources(edge, "AWS::S3::Bucket"));
      expect(bucket!.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const [policy] = Object.values(resources(edge, "AWS::S3::BucketPolicy"));
      const reads = (policy!.Properties.PolicyDocument as { Statement: { Principal?: { Service?: string }; Action: unknown; Condition?: unknown }[] }).Statement
        .filter((statement) => statement.Principal?.Service === "cloudfront.amazonaws.com");
      expect(reads).toHaveLength(1);
      expect(JSON.stringify(reads[0]!.Condition)).toMatch(/AWS:SourceArn.*distribution\//);
      expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: "redirect-to-https" });
    });

    it("forwards /v1/* to the HTTP API: every method, nothing cached, all viewer headers but Host, with the origin secret", () => {
      const config = distributionOf();
      const behavior = config.CacheBehaviors.find((b) => b.PathPattern === API_PATH_PATTERN)!;
      expect(config.CacheBehaviors).toHaveLength(1);
      expect(behavior).toMatchObject({
        AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER, // the viewer's address comes as CloudFront-Viewer-Address
        ViewerProtocolPolicy: "https-only",
      });
      const api = config.Origins.find((origin) => origin.Id === behavior.TargetOriginId)!;
      expect(JSON.stringify(api.DomainName)).toMatch(/test-twofactor-Gateway:ExportsOutputRefApi\w+"\},".execute-api.us-east-1."/);
      expect(api).toMatchObject({ CustomOriginConfig: { OriginProtocolPolicy: "https-only", OriginSSLProtocols: ["TLSv1.2"] } });
      const [header] = api.OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
      expect(header!.HeaderName).toBe(ORIGIN_SECRET_HEADER);
      expect(JSON.stringify(header!.HeaderValue)).toMatch(/\{\{resolve:secretsmanager:",\{"Fn::ImportValue":"test-twofactor-Gateway:ExportsOutputRefOriginSecret/);
      // The same secret the functions compare with: a generated one, in the Gateway stack.
      const [secret] = Object.values(resources(main("Gateway"), "AWS::SecretsManager::Secret"));
      expect(secret!.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    });

    it("answers with HSTS, a CSP header with frame-ancestors 'none', nosniff and no-referrer, on the console and the API alike", () => {
      const edge = main("Edge");
      const config = distributionOf();
      const [id, policy] = Object.entries(resources(edge, "AWS::CloudFront::ResponseHeadersPolicy"))[0]!;
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(refId(behavior.ResponseHeadersPolicyId)).toBe(id);
      const headers = (policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, any> }).SecurityHeadersConfig;
      expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
      expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 86_400);
      expect(headers.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: `${contentSecurityPolicy()}; frame-ancestors 'none'`, Override: true });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: "no-referrer", Override: true });
      expect(headers.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
    });

    it("uploads the console built to call its own origin, and invalidates CloudFront's copies on each deploy", () => {
      const [deployment] = Object.values(resources(main("Edge"), "Custom::CDKBucketDeployment"));
      expect(deployment!.Properties).toMatchObject({ DistributionPaths: ["/*"], Prune: true, SystemMetadata: { "cache-control": "no-cache" } });
      const key = JSON.stringify(deployment!.Properties.SourceObjectKeys).match(/([0-9a-f]{64})\.zip/)![1];
      const page = readFileSync(path.join(synths.outdir, `asset.${key}`, "index.html"), "utf8");
      expect(page).toContain("connect-src 'self';");
      expect(page).not.toMatch(/unsafe-inline|unsafe-eval|<script>|<style>|execute-api/);
    });

    it("answers on the distribution's own name without DOMAIN_NAME, and on the stage's domain with its certificate with one", () => {
      expect(distributionOf().Aliases).toBeUndefined();
      expect(JSON.stringify(main("Edge").toJSON().Outputs.Url.Value)).toContain("DomainName");
      const edge = prod("Edge");
      const config = distributionOf(edge);
      expect(config.Aliases).toEqual(["auth.example.com"]);
      expect(config.ViewerCertificate).toMatchObject({ MinimumProtocolVersion: "TLSv1.2_2021", SslSupportMethod: "sni-only", AcmCertificateArn: { Ref: expect.any(String) } });
      const [certificate] = Object.values(resources(edge, "AWS::CertificateManager::Certificate"));
      expect(certificate!.Properties).toMatchObject({
        DomainName: "auth.example.com", ValidationMethod: "DNS",
        DomainValidationOptions: [{ DomainName: "auth.example.com", HostedZoneId: PROD_ENV.HOSTED_ZONE_ID }],
      });
      const records = Object.values(resources(edge, "AWS::Route53::RecordSet"));
      expect(records.map((r) => [r.Properties.Type, r.Properties.Name, r.Properties.HostedZoneId]).sort()).toEqual([
        ["A", "auth.example.com.", PROD_ENV.HOSTED_ZONE_ID], ["AAAA", "auth.example.com.", PROD_ENV.HOSTED_ZONE_ID],
      ]);
    });
  });

  describe("edge: WAF", () => {
    it("is on prod and on a stage deployed with WAF=on; a developer's stage has no web ACL by default, nor its logs", () => {
      for (const template of [main("Edge"), prod("Edge")]) {
        expect(Object.keys(resources(template, "AWS::WAFv2::WebACL"))).toHaveLength(1);
        expect(distributionOf(template).WebACLId).toEqual({ "Fn::GetAtt": [expect.any(String), "Arn"] });
      }
      const edge = quiet("Edge");
      for (const type of ["AWS::WAFv2::WebACL", "AWS::WAFv2::LoggingConfiguration"]) expect(Object.keys(resources(edge, type)), type).toEqual([]);
      expect(distributionOf(edge).WebACLId).toBeUndefined();
      expect(Object.values(resources(edge, "AWS::Logs::LogGroup")).map((g) => JSON.stringify(g.Properties.LogGroupName))).not.toContainEqual(expect.stringContaining("aws-waf-logs-"));
      expect(edge.toJSON().Outputs).not.toHaveProperty("WafLogGroup");
      expect(main("Edge").toJSON().Outputs).toHaveProperty("WafLogGroup");
    });

    it("puts a CLOUDFRONT-scoped web ACL on the distribution, in us-east-1", () => {
      expect(synths.main.getStackByName("test-twofactor-Edge").environment.region).toBe("us-east-1");
      const [id] = Object.keys(resources(main("Edge"), "AWS::WAFv2::WebACL"));
      expect(webAclOf()).toMatchObject({ Scope: "CLOUDFRONT", DefaultAction: { Allow: {} } });
      expect(distributionOf().WebACLId).toEqual({ "Fn::GetAtt": [id, "Arn"] });
    });

    it("runs AWS's managed groups for IP reputation and known bad inputs first", () => {
      const managed = webAclOf().Rules.filter((rule) => rule.Statement.ManagedRuleGroupStatement);
      expect(managed.map((rule) => rule.Statement.ManagedRuleGroupStatement)).toEqual(MANAGED_RULE_GROUPS.map((name) => ({ VendorName: "AWS", Name: name })));
      for (const rule of managed) expect(rule.OverrideAction).toEqual({ None: {} });
      expect(Math.max(...managed.map((r) => r.Priority))).toBeLessThan(Math.min(...webAclOf().Rules.filter((r) => r.Statement.RateBasedStatement).map((r) => r.Priority)));
    });

    it("limits each client IP on each credential path to the stage's limits, answering 429 with a problem document", () => {
      const config = stageConfig(STAGE, TEST_ENV);
      const rateRules = webAclOf().Rules.filter((rule) => rule.Statement.RateBasedStatement);
      expect(rateRules.map((rule) => rule.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement.SearchString).sort())
        .toEqual(["/v1/auth/", "/v1/me/reauthenticate", "/v1/users"]);
      for (const { limit, path: scope, match } of CREDENTIAL_PATHS) {
        const rule = rateRules.find((r) => r.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement.SearchString === scope)!;
        expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: config.waf[limit], AggregateKeyType: "IP", EvaluationWindowSec: WAF_WINDOW_SECONDS });
        expect(rule.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement).toMatchObject({
          FieldToMatch: { UriPath: {} }, PositionalConstraint: match,
          TextTransformations: [{ Priority: 0, Type: "URL_DECODE" }, { Priority: 1, Type: "NORMALIZE_PATH" }],
        });
        expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: "rateLimited" } } });
      }
      expect(webAclOf().CustomResponseBodies).toEqual({ rateLimited: { ContentType: "APPLICATION_JSON", Content: JSON.stringify(RATE_LIMITED_BODY) } });
      expect(RATE_LIMITED_BODY).toMatchObject({ status: 429, code: "too_many_attempts" });
    });

    it("logs to an aws-waf-logs- group with tokens and cookies redacted", () => {
      const edge = main("Edge");
      const [logging] = Object.values(resources(edge, "AWS::WAFv2::LoggingConfiguration"));
      const [groupId, group] = Object.entries(resources(edge, "AWS::Logs::LogGroup")).find(([, g]) => String(g.Properties.LogGroupName).startsWith("aws-waf-logs-"))!;
      expect(group.Properties).toMatchObject({ LogGroupName: "aws-waf-logs-test-twofactor", RetentionInDays: 7 });
      expect(JSON.stringify(logging!.Properties.LogDestinationConfigs)).toContain(`":logs:us-east-1:123456789012:log-group:",{"Ref":"${groupId}"}`);
      expect(logging!.Properties.RedactedFields).toEqual(REDACTED_HEADERS.map((name) => ({ SingleHeader: { Name: name } })));
    });
  });
}
