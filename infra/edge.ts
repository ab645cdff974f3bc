import {
  AllowedMethods, CachePolicy, Distribution, HttpVersion, OriginProtocolPolicy, OriginRequestPolicy, OriginSslPolicy,
  SecurityPolicyProtocol, ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import { NagSuppressions } from "cdk-nag";
import { use, type StackContext } from "sst/constructs";
import { ORIGIN_SECRET_HEADER } from "@twofactor/functions/edge/origin-check";
import { addAlarm, Alarms, FIVE_MINUTES, runbook, SUSTAINED } from "./alarms.js";
import { consoleBucket, deployConsole } from "./console-site.js";
import { certificateFor, pointDomainAt } from "./domain.js";
import { apiDomainOf, Gateway } from "./gateway.js";
import { edgeSuppressions } from "./nag.js";
import { ROOT } from "./root.js";
import { securityHeaders } from "./security-headers.js";
import { Storage } from "./storage.js";
import { addWebAcl } from "./waf.js";

/** The region AWS keeps CloudFront's web ACLs and certificates in. */
export const CLOUDFRONT_REGION = "us-east-1";
/** The path pattern the API is served under; everything else is the console. */
export const API_PATH_PATTERN = "/v1/*";
/** Blocked requests per five minutes that count as breaching (an attack held off, or a client gone wrong). */
export const WAF_BLOCKED_PER_5_MINUTES = 100;
/** CloudFront's own 5xx share (origin unreachable, timeouts) that counts as breaching. */
export const EDGE_5XX_PERCENT = 5;

/**
 * The stage's one origin: a CloudFront distribution serving the console from a private bucket
 * (origin access control) at `/`, and forwarding `/v1/*` to the HTTP API: every method, nothing
 * cached, every viewer header but Host (CloudFront-Viewer-Address included, from which the
 * functions take the caller's address), with the origin secret that the functions check. Behind the
 * stage's web ACL where it has one (`prod`; StageConfig.webAcl), with the security headers policy on
 * both, on the stage's domain or its own.
 */
export function Edge({ stack }: StackContext) {
  const { config } = use(Storage);
  const { topic } = use(Alarms);
  const { httpApi, originSecret } = use(Gateway);
  if (stack.region !== CLOUDFRONT_REGION) {
    throw new Error(
      `A stage's edge (CloudFront's web ACL and certificate) lives in ${CLOUDFRONT_REGION}, and SST v2 deploys a stage to one ` +
      `region: deploy this stage with AWS_REGION=${CLOUDFRONT_REGION}, not ${stack.region} (docs/decisions/0001-one-origin-behind-cloudfront-and-waf.md).`,
    );
  }
  const name = `${stack.stage}-twofactor`;
  const waf = config.webAcl ? addWebAcl(stack, name, config) : undefined;
  const headers = securityHeaders(stack, `${name}-security-headers`);
  const certificate = certificateFor(stack, config.domain);
  const bucket = consoleBucket(stack);
  const distribution = new Distribution(stack, "Distribution", {
    comment: `twofactor ${stack.stage}: the console, and the API under /v1/`,
    defaultRootObject: "index.html",
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
    },
    additionalBehaviors: {
      [API_PATH_PATTERN]: {
        origin: new HttpOrigin(apiDomainOf(httpApi), {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: { [ORIGIN_SECRET_HEADER]: originSecret.secretValue.unsafeUnwrap() },
        }),
        // A redirect would turn a POST into a GET: plain HTTP is refused.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: headers,
        compress: true,
      },
    },
    ...(waf ? { webAclId: waf.webAcl.attrArn } : {}),
    httpVersion: HttpVersion.HTTP2_AND_3,
    ...(config.domain && certificate
      ? { domainNames: [config.domain.name], certificate, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
      : {}),
  });
  deployConsole(stack, bucket, distribution, ROOT);
  pointDomainAt(stack, config.domain, distribution);

  if (waf) {
    addAlarm(stack, "WafBlockedRequestsAlarm", topic, {
      description: `WAF blocked over ${WAF_BLOCKED_PER_5_MINUTES} requests in 3 of the last 5 periods of 5 minutes: an attack held off, ` +
        `or real users over a limit. ${runbook("WafBlockedRequests")}`,
      metric: new Metric({
        namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensionsMap: { WebACL: name, Rule: "ALL" }, period: FIVE_MINUTES, statistic: "Sum",
      }),
      threshold: WAF_BLOCKED_PER_5_MINUTES,
      ...SUSTAINED,
    });
  }
  addAlarm(stack, "Edge5xxRateAlarm", topic, {
    description: `Over ${EDGE_5XX_PERCENT}% of the distribution's answers were 5xx (CloudFront could not reach the API or the bucket, or they failed) ` +
      `in 3 of the last 5 periods of 5 minutes. ${runbook("Edge5xxRate")}`,
    metric: new Metric({
      namespace: "AWS/CloudFront", metricName: "5xxErrorRate", dimensionsMap: { DistributionId: distribution.distributionId, Region: "Global" },
      period: FIVE_MINUTES, statistic: "Average",
    }),
    threshold: EDGE_5XX_PERCENT,
    ...SUSTAINED,
  });

  NagSuppressions.addStackSuppressions(stack, edgeSuppressions(Boolean(config.domain), Boolean(waf)));
  const host = config.domain?.name ?? distribution.distributionDomainName;
  stack.addOutputs({ Url: `https://${host}`, DistributionId: distribution.distributionId, ...(waf ? { WafLogGroup: waf.logs.logGroupName } : {}) });
  return { distribution, host, webAcl: waf?.webAcl };
}
