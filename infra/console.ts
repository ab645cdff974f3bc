import { NagSuppressions, type NagPackSuppression } from "cdk-nag";
import { StaticSite, use, type StackContext } from "sst/constructs";
import { Api } from "./api.js";

/**
 * The reference console as a static site: S3 behind CloudFront, built by esbuild with the API's URL
 * (packages/console/src/build-site.ts; SST writes the URL into the uploaded files at deploy time).
 * The API learns the console's origin from the stage's settings (`CONSOLE_ORIGIN`, infra/stages.ts),
 * not from this stack: the site needs the API's URL, so the API cannot also wait for the site's.
 */
export function Console({ stack }: StackContext) {
  const { api } = use(Api);
  const site = new StaticSite(stack, "Console", {
    path: "packages/console",
    buildCommand: "npx tsx src/build-site.ts dist",
    buildOutput: "dist",
    environment: { CONSOLE_API_URL: api.url },
    // File names carry no hash, so browsers revalidate; CloudFront is invalidated on each deploy.
    assets: { fileOptions: [{ files: "**/*", cacheControl: "no-cache" }] },
    cdk: { bucket: { enforceSSL: true } },
  });
  NagSuppressions.addResourceSuppressions(site, CONSOLE_SUPPRESSIONS, true);
  // The uploader's policy is made when the site builds, after this line: a stack-level suppression reaches it.
  NagSuppressions.addStackSuppressions(stack, [UPLOADER_SUPPRESSION]);
  stack.addOutputs({ ConsoleUrl: site.url ?? "" });
  return { site };
}

/** cdk-nag findings on the site, accepted with their reasons. */
const CONSOLE_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-S1",
    reason: "The bucket holds the console's three public build files, written only by the deploy; who reads them is " +
      "of no audit interest (what people do is in the API's access log and the audit log). Access logs would cost a bucket of their own.",
  },
  {
    id: "AwsSolutions-CFR1",
    reason: "The console is for every user of the API, wherever they are; the API decides who may do what, not the geography of the page.",
  },
  {
    id: "AwsSolutions-CFR2",
    reason: "CloudFront serves three static files with no input; WAF ($5/month and rules per ACL) protects nothing here. " +
      "The API has its own stage and per-route throttling.",
  },
  {
    id: "AwsSolutions-CFR3",
    reason: "Requests for static files say nothing an operator acts on; API calls are logged by the API's access log.",
  },
  {
    id: "AwsSolutions-CFR4",
    reason: "The distribution uses CloudFront's default *.cloudfront.net certificate, whose TLS policy CloudFront sets; " +
      "a minimum protocol version needs a custom domain with its own certificate (see README, Console).",
  },
  {
    id: "AwsSolutions-CFR7",
    reason: "SST v2's StaticSite reaches its private bucket through an origin access identity (OAI); the bucket is " +
      "still closed to everyone else. Moving to origin access control means leaving the construct.",
  },
];

const UPLOADER_SUPPRESSION: NagPackSuppression = {
  id: "AwsSolutions-IAM5",
  reason: "SST's uploader custom resource copies the site's objects from the CDK asset bucket (assets/*) into the " +
    "site's bucket (bucket/*): object-level wildcards within those two buckets, by construction. This stack has no other role.",
};
