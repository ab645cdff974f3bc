import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnLoggingConfiguration, CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import type { Construct } from "constructs";
import { CREDENTIAL_PATHS } from "./credential-routes.js";
import type { StageConfig, WafLimits } from "./stages.js";

/** WAF counts each client IP's requests over this window (seconds): the limits in `StageConfig.waf` are per window. */
export const WAF_WINDOW_SECONDS = 300;

/** AWS managed rule groups the web ACL runs first: requests known to exploit bugs, and addresses known for abuse. */
export const MANAGED_RULE_GROUPS = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

/** The body of WAF's 429, as the API's own problem documents read (WAF sets `application/json`; its custom headers are renamed `x-amzn-waf-…`). */
export const RATE_LIMITED_BODY = {
  type: "https://twofactor.dev/problems/too-many-attempts",
  title: "Too Many Requests",
  status: 429,
  detail: "Too many requests from your network. Try again in a few minutes.",
  code: "too_many_attempts",
};

/** Headers WAF's logs leave out: tokens and the device-trust cookie. */
export const REDACTED_HEADERS = ["authorization", "x-device-token", "cookie"] as const;

const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
const ruleName = (limit: keyof WafLimits) => `RateLimit${limit.charAt(0).toUpperCase()}${limit.slice(1)}`;

/**
 * The distribution's web ACL: scope CLOUDFRONT, which AWS keeps in us-east-1 (the Edge stack checks
 * its region). AWS's IP reputation and known-bad-inputs groups first, then per client IP a
 * rate-based rule on each credential path (the limits of `StageConfig.waf`, per five minutes),
 * blocking with 429 and a problem document. Logs every request it inspects, tokens and cookies
 * redacted, to a log group named as WAF requires (`aws-waf-logs-…`), kept on `prod`.
 */
export function addWebAcl(scope: Construct, name: string, config: StageConfig): { webAcl: CfnWebACL; logs: LogGroup } {
  const managed = MANAGED_RULE_GROUPS.map((group, priority): CfnWebACL.RuleProperty => ({
    name: group,
    priority,
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
    overrideAction: { none: {} },
    visibilityConfig: visibility(group),
  }));
  const rateLimits = CREDENTIAL_PATHS.map(({ limit, path, match }, i): CfnWebACL.RuleProperty => ({
    name: ruleName(limit),
    priority: 10 + i,
    statement: {
      rateBasedStatement: {
        limit: config.waf[limit],
        evaluationWindowSec: WAF_WINDOW_SECONDS,
        aggregateKeyType: "IP",
        scopeDownStatement: {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: match,
            searchString: path,
            // As API Gateway will read the path: decoded, `//` and `/./` folded.
            textTransformations: [{ priority: 0, type: "URL_DECODE" }, { priority: 1, type: "NORMALIZE_PATH" }],
          },
        },
      },
    },
    action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: "rateLimited" } } },
    visibilityConfig: visibility(ruleName(limit)),
  }));
  const webAcl = new CfnWebACL(scope, "WebAcl", {
    name,
    scope: "CLOUDFRONT",
    description: "Per-IP limits on the credential paths, AWS managed rules for IP reputation and known bad inputs",
    defaultAction: { allow: {} },
    customResponseBodies: { rateLimited: { contentType: "APPLICATION_JSON", content: JSON.stringify(RATE_LIMITED_BODY) } },
    rules: [...managed, ...rateLimits],
    visibilityConfig: visibility(name),
  });
  const logs = new LogGroup(scope, "WafLogs", {
    logGroupName: `aws-waf-logs-${name}`,
    retention: RetentionDays[config.logRetention.toUpperCase() as Uppercase<typeof config.logRetention>],
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  new CfnLoggingConfiguration(scope, "WafLogging", {
    resourceArn: webAcl.attrArn,
    // WAF takes the log group's ARN without the `:*` that CDK's logGroupArn ends with.
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: "logs", resource: "log-group", resourceName: logs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { Name: header } })),
  });
  return { webAcl, logs };
}
