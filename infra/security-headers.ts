import { Duration } from "aws-cdk-lib";
import { HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy } from "aws-cdk-lib/aws-cloudfront";
import type { Construct } from "constructs";
import { contentSecurityPolicy } from "@twofactor/console";

/**
 * The console's CSP as the page's `<meta>` states it (packages/console), plus what only a header
 * can carry: `frame-ancestors 'none'`, so no site can frame the console (a team admin's clicks
 * cannot be hijacked).
 */
export const CONTENT_SECURITY_POLICY = `${contentSecurityPolicy()}; frame-ancestors 'none'`;
export const HSTS_MAX_AGE = Duration.days(730);

/**
 * Security headers on everything the distribution serves, the console's files and the API's
 * answers alike: HSTS (two years, subdomains), the CSP above, `nosniff`, `no-referrer`, and
 * `X-Frame-Options: DENY` for browsers without `frame-ancestors`. CloudFront's values replace an
 * origin's, so S3 cannot serve the console without them.
 */
export function securityHeaders(scope: Construct, name: string): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, "SecurityHeaders", {
    responseHeadersPolicyName: name,
    comment: "HSTS, CSP with frame-ancestors 'none', nosniff, no-referrer",
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    },
  });
}
