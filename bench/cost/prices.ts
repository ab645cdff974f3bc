/**
 * The list prices the cost model uses, us-east-1, on-demand, before free tiers and volume tiers
 * beyond the first, as AWS's pricing pages state them on PRICES_DATE. Change a price here and the
 * bench's printout follows.
 */
export const PRICES_DATE = "2025-11-30";

export interface Price {
  service: string;
  unit: string;
  usd: number;
}

export const PRICES = {
  apiGatewayRequest: { service: "API Gateway HTTP API", unit: "request (first 300 M a month)", usd: 1.0 / 1e6 },
  lambdaRequest: { service: "Lambda", unit: "invocation", usd: 0.2 / 1e6 },
  lambdaGbSecondArm: { service: "Lambda", unit: "GB-second, arm64", usd: 0.0000133334 },
  dynamoWru: { service: "DynamoDB on-demand", unit: "write request unit (1 KB)", usd: 0.625 / 1e6 },
  dynamoRru: { service: "DynamoDB on-demand", unit: "read request unit (a strongly consistent read of 4 KB, or two eventually consistent)", usd: 0.125 / 1e6 },
  putEventsEntry: { service: "EventBridge", unit: "custom event (PutEvents entry, per 64 KB)", usd: 1.0 / 1e6 },
  archiveGb: { service: "EventBridge archive", unit: "GB of events archived", usd: 0.1 },
  sqsRequest: { service: "SQS standard", unit: "request (per 64 KB)", usd: 0.4 / 1e6 },
  kmsRequest: { service: "KMS", unit: "request", usd: 0.03 / 1e4 },
  sesMail: { service: "SES", unit: "outbound mail", usd: 0.1 / 1e3 },
  logsIngestGb: { service: "CloudWatch Logs", unit: "GB ingested (function, access and WAF logs)", usd: 0.5 },
  cloudFrontRequest: { service: "CloudFront", unit: "HTTPS request (North America)", usd: 0.01 / 1e4 },
  cloudFrontTransferGb: { service: "CloudFront", unit: "GB out to the internet (first 10 TB)", usd: 0.085 },
  wafRequest: { service: "WAF", unit: "request inspected", usd: 0.6 / 1e6 },
  xrayTrace: { service: "X-Ray", unit: "trace recorded", usd: 5.0 / 1e6 },
  // At rest, a month.
  alarmMetric: { service: "CloudWatch", unit: "alarm metric-month (standard resolution)", usd: 0.1 },
  customMetric: { service: "CloudWatch", unit: "custom metric-month (prorated by the hour it reports)", usd: 0.3 },
  dashboard: { service: "CloudWatch", unit: "dashboard-month (beyond an account's first 3)", usd: 3.0 },
  kmsKey: { service: "KMS", unit: "customer managed key-month", usd: 1.0 },
  secret: { service: "Secrets Manager", unit: "secret-month", usd: 0.4 },
  webAcl: { service: "WAF", unit: "web ACL-month", usd: 5.0 },
  webAclRule: { service: "WAF", unit: "rule-month (a managed rule group counts as one)", usd: 1.0 },
} as const satisfies Record<string, Price>;

/**
 * What the model assumes where the local runtime cannot measure: how long an invocation runs on
 * Lambda (work of its own, plus the AWS calls it waits for, each call in series counted once), how
 * events batch at scale, and what the edge adds per request.
 */
export const ASSUMPTIONS = {
  /** Memory of the functions, as infra/functions.ts and infra/bus.ts give them. */
  requestMemoryMb: 1024,
  consumerMemoryMb: 512,
  /** Milliseconds a warm invocation waits per call in series: DynamoDB in-region, EventBridge PutEvents, KMS. */
  dynamoRoundTripMs: 6,
  putEventsMs: 25,
  kmsMs: 15,
  /** Milliseconds of work of its own: a password check (argon2id, 19 MiB, 2 passes, at 1024 MB arm64), and any other invocation. */
  passwordCheckMs: 100,
  requestWorkMs: 5,
  consumerWorkMs: 5,
  consumerWorkPerEventMs: 1,
  /** Bytes of one API Gateway access-log line (infra/api-stage.ts ACCESS_LOG_FIELDS) and of one WAF log record. */
  accessLogBytes: 350,
  wafLogBytes: 1500,
  /** X-Ray's default sampling rule beyond its 1 request/s reservoir: the share of HTTP invocations traced at scale. */
  xraySampled: 0.05,
  /** Response bytes CloudFront sends per request (headers and a small JSON body). */
  responseBytes: 1200,
  /** Idle polling of an SQS event source mapping: 5 pollers, each a 20 s long poll (AWS's defaults), a month. */
  idlePollsPerMonth: 5 * 3 * 60 * 24 * 30,
  minutesPerMonth: 60 * 24 * 30,
} as const;
