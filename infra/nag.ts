import { Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { NagSuppressions, type NagPackSuppression } from "cdk-nag";

/**
 * cdk-nag (AWS Solutions) findings accepted for every stack, each with its reason. Findings
 * about one resource are suppressed beside that resource (bus.ts, api.ts).
 */
export const STACK_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-IAM4",
    appliesTo: ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
    reason: "Every Lambda role (ours and SST's custom resource handler) carries only the AWS managed basic execution " +
      "policy for writing its own logs; a hand-written copy would grant the same three logs actions. Data access is " +
      "in explicit inline statements (infra/permissions.ts).",
  },
  {
    id: "AwsSolutions-L1",
    reason: "The runtime is pinned to nodejs22.x by design (Node 20 on our machines, Lambda nodejs22.x; " +
      "middy 6 and vitest 4 are pinned for it). cdk-nag wants the newest family, nodejs24.x.",
  },
];

export const ALARM_TOPIC_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-SNS2",
    reason: "The alarm topic carries CloudWatch alarm notifications only (alarm name, metric, threshold, state), no user " +
      "data. CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, so encrypting it would take a " +
      "customer managed key of its own ($1/month and another key policy) for nothing secret. Publishing requires TLS.",
  },
];

export const API_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-APIG4",
    reason: "Authorization is in the functions: protected routes require a bearer session token that packages/http " +
      "checks against the table (scoped sessions, revocation), and sign-up, login, second-factor challenges and " +
      "health are public by the API contract. A Lambda authorizer would add an invocation per request for the same check.",
  },
  {
    id: "AwsSolutions-IAM5",
    appliesTo: ["Resource::*"],
    reason: "Active tracing gives each HTTP function xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray grants " +
      "on no resource narrower than *; no other statement of these roles names * (tests/infra checks both).",
  },
];

/** cdk-nag findings on the Edge stack (distribution, console bucket, and CDK's custom resources there), with their reasons. */
export function edgeSuppressions(ownDomain: boolean, webAcl: boolean): NagPackSuppression[] {
  return [
    {
      id: "AwsSolutions-S1",
      reason: "The bucket holds the console's three build files, written only by the deploy; who reads them is of no audit " +
        (webAcl ? "interest, and every request to the distribution is in WAF's log already." : "interest."),
    },
    ...(webAcl ? [] : [{
      id: "AwsSolutions-CFR2",
      reason: "A developer's stage runs without the web ACL unless WAF=on: the ACL is $10 of a stage's month at rest. " +
        "Its logins are still held by the account and network lockouts and the API's throttling; prod always has the ACL.",
    }]),
    {
      id: "AwsSolutions-CFR1",
      reason: "The console and the API are for every user, wherever they are; the API decides who may do what, not the geography of the caller.",
    },
    {
      id: "AwsSolutions-CFR3",
      reason: webAcl
        ? "WAF logs every request the distribution receives (client address, path, headers with tokens and cookies " +
          "redacted, the rule that acted), and the API stage logs each API call; CloudFront's standard logs would be a third copy in a bucket of their own."
        : "The API stage logs each API call, and the rest is the console's build files; a developer's stage gets WAF's log of every request with WAF=on.",
    },
    ...(ownDomain ? [] : [{
      id: "AwsSolutions-CFR4",
      reason: "Without DOMAIN_NAME the distribution answers on its *.cloudfront.net name with CloudFront's certificate, whose " +
        "TLS policy CloudFront sets; with a domain of its own the distribution requires TLS 1.2 (2021 policy).",
    }]),
    {
      id: "AwsSolutions-IAM4",
      reason: "CDK's bucket deployment and auto-delete custom resources run on the AWS managed basic execution policy (their own logs).",
    },
    {
      id: "AwsSolutions-IAM5",
      reason: "CDK's bucket deployment copies the console's asset from the CDK asset bucket into the console bucket and " +
        "invalidates the distribution: object-level wildcards within those two buckets and CloudFront's invalidation, by construction.",
    },
    {
      id: "AwsSolutions-L1",
      reason: "CDK's bucket deployment and auto-delete custom resources run on the runtimes CDK pins for them; they run at deploy time only.",
    },
  ];
}

export function suppressAcceptedFindings(scope: IConstruct): void {
  for (const stack of scope.node.findAll().filter(Stack.isStack)) {
    NagSuppressions.addStackSuppressions(stack, STACK_SUPPRESSIONS);
  }
}

export const BRANCH_KEY_MAKER_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-IAM5",
    reason: "CDK's provider framework invokes the branch key maker by its ARN and its versions (function:<name>:*), which " +
      "is how the framework is built; the maker's own role has no wildcard (GetItem and PutItem on the branch key table, " +
      "and three KMS actions on the one key for the store's context).",
  },
  {
    id: "AwsSolutions-L1",
    reason: "The provider framework's function is CDK's own, on the Node.js runtime CDK chooses for it; it only relays " +
      "CloudFormation's events to the branch key maker, which runs nodejs22.x like every function here.",
  },
];

/** The outbox relay's dead-letter queue is a dead-letter queue, though not an SQS redrive target. */
export const RELAY_DEAD_LETTERS_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-SQS3",
    reason: "This queue is the on-failure destination of the outbox relay's stream mapping: it receives the places in the table's " +
      "stream of batches the relay gave up on, and an alarm fires on its first message. Nothing consumes it, so it needs no DLQ of its own.",
  },
];

export const ORIGIN_SECRET_SUPPRESSIONS: NagPackSuppression[] = [
  {
    id: "AwsSolutions-SMG4",
    reason: "The origin secret only tells the API that a request came through the stage's CloudFront distribution (and so " +
      "through WAF); it opens no data. CloudFront and the functions take it at deploy time, so a rotation Lambda would leave " +
      "both holding the old value; replacing it is a deploy of a new one (docs/deploying.md, \"Origin secret\").",
  },
];
