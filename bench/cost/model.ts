import { QUEUE_DELIVERY, subscriptions } from "@twofactor/events/subscriptions";
import { ASSUMPTIONS as A, PRICES as P, type Price } from "./prices.js";
import { criticalPath, type Usage } from "./meter.js";
import type { Measured, Scenario } from "./scenarios.js";
import type { Census } from "./template-census.js";

/** One priced line: how much of a billed unit one operation uses, and what a million operations cost. */
export interface Line {
  item: string;
  quantity: number;
  price: Price;
  perMillion: number;
  /** The edge in front of the API (CloudFront, WAF, X-Ray): apart: the per-million figures are given with and without it. */
  edge?: boolean;
}

/** A function that consumes events (an SQS queue's, or the table stream's), and how it batches at scale. */
export interface Batching {
  handler: string;
  /** Events per invocation at scale: the configured batch when a batching window lets it fill, else one. */
  batch: number;
  viaQueue: boolean;
}

/** How each consumer batches at scale, from the subscriptions (and, when given, the table stream's consumer). */
export function batchingOf(extra: Batching[] = []): Map<string, Batching> {
  const map = new Map<string, Batching>();
  for (const subscription of subscriptions) {
    const batch = subscription.batchingWindowSeconds ? QUEUE_DELIVERY.batchSize : 1;
    map.set(subscription.consumer, { handler: subscription.handler, batch, viaQueue: true });
  }
  for (const consumer of extra) map.set(consumer.handler, consumer);
  return map;
}

const GB = 1e9;
const line = (item: string, quantity: number, price: Price, edge = false): Line => ({ item, quantity, price, perMillion: quantity * price.usd * 1e6, edge });

/**
 * Prices one operation (averaged over its repetitions) at list prices: every request each service
 * bills, as the stand-ins and the local bus saw it, with Lambda's durations from ASSUMPTIONS (work
 * of its own plus each AWS call waited for, the calls in series counted once).
 */
export function priceOperation(scenario: Scenario, batching: Map<string, Batching>, edge: { wafLogsEveryRequest: boolean; traced: boolean }): Line[] {
  const reps = scenario.repetitions;
  const avg = (of: (m: Measured) => number) => reps.reduce((sum, m) => sum + of(m), 0) / reps.length;
  const steps = reps[0]!.steps.length;
  const stepHandlers = new Set(reps[0]!.steps.map((s) => s.handler));

  const requestMs = avg((m) => m.steps.reduce((sum, step) => {
    const work = step.handler === "functions/http/login.handler" ? A.passwordCheckMs : A.requestWorkMs;
    const putEvents = m.usage.putEvents.filter((call) => call.handler === step.handler).length;
    return sum + work + step.roundTripsInSeries * A.dynamoRoundTripMs + putEvents * A.putEventsMs;
  }, 0) + m.kmsRequests * A.kmsMs);

  const consumers = [...batching.values()];
  const invocations = (m: Measured, c: Batching) => eventsOf(m, c) / c.batch;
  const consumerGbSeconds = avg((m) => consumers.reduce((sum, c) => {
    const events = eventsOf(m, c);
    if (!events) return sum;
    const calls = m.usage.store.filter((call) => call.handler === c.handler);
    const callsPerEvent = calls.length / events;
    // A queue consumer handles the records of a batch at once (Powertools' batch processor), so a
    // full batch waits about as many round trips in series as the batches measured here did.
    const batches = c.viaQueue ? batchesOf(m, c) : 0;
    const inSeries = batches ? criticalPath(calls) / batches : Math.min(callsPerEvent * c.batch, criticalPath(calls) * c.batch);
    const perInvocationMs = A.consumerWorkMs + c.batch * A.consumerWorkPerEventMs + inSeries * A.dynamoRoundTripMs;
    return sum + invocations(m, c) * (perInvocationMs / 1000) * (A.consumerMemoryMb / 1024);
  }, 0));
  const sqsRequests = avg((m) => consumers.filter((c) => c.viaQueue).reduce((sum, c) => {
    const events = eventsOf(m, c);
    // EventBridge's SendMessage per event; per batch, the receives and the batched deletes (10 messages a request).
    return sum + events + 2 * invocations(m, c) * Math.ceil(c.batch / 10);
  }, 0));

  const inPath = (handler: string) => stepHandlers.has(handler);
  const units = (pick: (u: Usage["store"][number]) => number, path: boolean) =>
    avg((m) => m.usage.store.filter((call) => inPath(call.handler) === path).reduce((sum, call) => sum + pick(call), 0));
  const putEntries = avg((m) => m.usage.putEvents.reduce((sum, call) => sum + call.entries, 0));
  const eventBytes = avg((m) => m.usage.putEvents.reduce((sum, call) => sum + call.bytes, 0));
  const logBytes = avg((m) => [...m.usage.logBytes.values()].reduce((sum, n) => sum + n, 0)) + steps * A.accessLogBytes;

  return [
    line("API Gateway requests", steps, P.apiGatewayRequest),
    line("Lambda invocations, request functions", steps, P.lambdaRequest),
    line(`Lambda GB-s, request functions (${A.requestMemoryMb} MB, ${requestMs.toFixed(0)} ms in all)`, (requestMs / 1000) * (A.requestMemoryMb / 1024), P.lambdaGbSecondArm),
    line("Lambda invocations, consumers (events ÷ batch)", avg((m) => consumers.reduce((sum, c) => sum + invocations(m, c), 0)), P.lambdaRequest),
    line(`Lambda GB-s, consumers (${A.consumerMemoryMb} MB)`, consumerGbSeconds, P.lambdaGbSecondArm),
    line("DynamoDB RRU, request path", units((c) => c.rru, true), P.dynamoRru),
    line("DynamoDB WRU, request path (outbox index included)", units((c) => c.wru + c.indexWru, true), P.dynamoWru),
    line("DynamoDB RRU, consumers", units((c) => c.rru, false), P.dynamoRru),
    line("DynamoDB WRU, consumers (outbox index included)", units((c) => c.wru + c.indexWru, false), P.dynamoWru),
    line("EventBridge PutEvents entries", putEntries, P.putEventsEntry),
    line("EventBridge archive (GB, with the envelope)", (eventBytes + putEntries * 300) / GB, P.archiveGb),
    line("SQS requests (send, receive, delete)", sqsRequests, P.sqsRequest),
    line("KMS requests", avg((m) => m.kmsRequests), P.kmsRequest),
    line("SES mails (a new device remembered, notifications on)", avg((m) => m.mails), P.sesMail),
    line("CloudWatch Logs (GB: function logs as measured, access log lines)", logBytes / GB, P.logsIngestGb),
    line("CloudFront requests", steps, P.cloudFrontRequest, true),
    line("CloudFront transfer out (GB)", (steps * A.responseBytes) / GB, P.cloudFrontTransferGb, true),
    line("WAF requests", steps, P.wafRequest, true),
    line(`WAF logs (GB, ${edge.wafLogsEveryRequest ? "every request" : "blocked requests only: ~0 here"})`, edge.wafLogsEveryRequest ? (steps * A.wafLogBytes) / GB : 0, P.logsIngestGb, true),
    line(`X-Ray traces (${edge.traced ? `${A.xraySampled * 100}% sampled` : "off"})`, edge.traced ? steps * A.xraySampled : 0, P.xrayTrace, true),
  ];
}

/** Events a consumer took in one repetition: its queue's messages, or (the stream's consumer) the records it was handed. */
function eventsOf(m: Measured, c: Batching): number {
  if (c.viaQueue) return [...m.consumers].find(([consumer]) => batchingHandler(consumer) === c.handler)?.[1].messages ?? 0;
  return m.streamRecords ?? 0;
}

/** Batches a queue consumer's function was invoked with in one repetition. */
function batchesOf(m: Measured, c: Batching): number {
  return [...m.consumers].find(([consumer]) => batchingHandler(consumer) === c.handler)?.[1].batches ?? 0;
}

const batchingHandler = (consumer: string) => subscriptions.find((s) => s.consumer === consumer)?.handler;

/** What one month at rest costs: the resources of the stage's templates, its schedules' runs, idle polling. */
export function priceAtRest(census: Census, perRun: Map<string, { rru: number; roundTrips: number; logBytes: number; metrics: number }>): Line[] {
  const lines: Line[] = [
    line(`alarms (${census.alarmMetrics} alarm metrics)`, census.alarmMetrics, P.alarmMetric),
    line("dashboards", census.dashboards, P.dashboard),
    line("KMS keys", census.kmsKeys, P.kmsKey),
    line("Secrets Manager secrets", census.secrets, P.secret),
    line("WAF web ACLs", census.webAcls, P.webAcl),
    line(`WAF rules (${census.webAclRules})`, census.webAclRules, P.webAclRule),
    line(`SQS idle polling (${census.queueEventSources} queue event sources × ${(A.idlePollsPerMonth / 1e6).toFixed(2)} M receives)`, census.queueEventSources * A.idlePollsPerMonth, P.sqsRequest),
    line("metric filters reporting every minute", census.metricFiltersWithDefault, P.customMetric),
  ];
  let metrics = 0;
  for (const schedule of census.schedules) {
    const runs = A.minutesPerMonth / schedule.everyMinutes;
    const run = perRun.get(schedule.handler) ?? { rru: 1, roundTrips: 1, logBytes: 0, metrics: 0 };
    const ms = A.consumerWorkMs + run.roundTrips * A.dynamoRoundTripMs;
    const name = schedule.handler.replace(/^functions\/events\//, "").replace(/\.handler$/, "");
    lines.push(line(`${name}: invocations (every ${schedule.everyMinutes} min)`, runs, P.lambdaRequest));
    lines.push(line(`${name}: GB-s (${schedule.memoryMb} MB, ${ms} ms)`, runs * (ms / 1000) * (schedule.memoryMb / 1024), P.lambdaGbSecondArm));
    lines.push(line(`${name}: DynamoDB RRU (${run.rru} a run)`, runs * run.rru, P.dynamoRru));
    lines.push(line(`${name}: logs (GB)`, (runs * run.logBytes) / GB, P.logsIngestGb));
    metrics += run.metrics;
  }
  lines.push(line(`custom metrics the schedules report every run (${metrics})`, metrics, P.customMetric));
  // perMillion is "per month" here: one month is one unit.
  return lines.map((l) => ({ ...l, perMillion: l.quantity * l.price.usd }));
}
