import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { QUEUE_DELIVERY, type ServiceSubscription, type Subscription } from "@twofactor/events/subscriptions";
import { closeServer } from "./close-server.js";
import { DeliverySpool, type SpooledDelivery } from "./delivery-spool.js";
import { lambdaContext } from "./lambda-context.js";
import { JSON_1_1_ERRORS, SignatureCheck, signedOnly, type LocalCredentials } from "./sigv4-guard.js";

/** A consumer as Lambda runs it behind an SQS event source mapping with ReportBatchItemFailures. */
export type Consumer = (event: SQSEvent, context: Context) => Promise<unknown>;

/** A consumer's subscription: to our events, or (with its `source`) to an AWS service's. */
type AnySubscription = Subscription | ServiceSubscription;

export interface LocalBusOptions {
  subscriptions: readonly AnySubscription[];
  /** PutEvents is answered only when signed with these (the runtime's). */
  credentials: LocalCredentials;
  loadConsumer: (handler: string) => Promise<Consumer>;
  deadLetterFile: string;
  /** Journal of accepted deliveries, replayed on start (see DeliverySpool). */
  spoolFile: string;
  /**
   * `attempts`: receives of a message before it is dead-lettered (SQS maxReceiveCount);
   * `baseDelayMs`: how long a failed message stays invisible before it is received again (the
   * visibility timeout; 180 s on AWS, short here so a failure shows quickly).
   */
  retry?: { attempts: number; baseDelayMs: number };
  batchSize?: number;
  region?: string;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
}

interface Message {
  delivery: SpooledDelivery;
  messageId: string;
  sentAt: number;
  firstReceivedAt?: number;
  receives: number;
  visibleAt: number;
}

/** One consumer's queue: messages waiting or invisible after a failed receive, and one batch at a time in flight. */
interface LocalQueue {
  subscription: AnySubscription;
  messages: Message[];
  busy: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * An in-process EventBridge with a queue per consumer, as on AWS (rule → SQS queue → function):
 * it speaks PutEvents over HTTP on loopback, so the EventBridge adapter runs unchanged against it,
 * and delivers to the consumers of `events/subscriptions.ts` asynchronously, at least once
 * (journaled, so a crash loses nothing it accepted), in SQS batches. A consumer reports the messages
 * it failed (`batchItemFailures`), or throws to fail the whole batch; a failed message is received
 * again after its visibility timeout, and after `attempts` receives it goes to the dead-letter file.
 */
export class LocalEventBus {
  private server?: Server;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private refusals = 0;
  private paused = false;
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, LocalQueue>();
  endpoint = "";
  /**
   * What arrived and what was delivered, as AWS would bill it: PutEvents calls and their entries
   * (EventBridge bills entries), and per consumer the messages its queue took and the batches its
   * function was invoked with.
   */
  readonly stats = { putEventsCalls: 0, putEventsEntries: 0, consumers: new Map<string, { messages: number; batches: number }>() };
  /** What feeds this bus from outside (the table's stream): held with the consumers. */
  private readonly feeders = new Set<{ pause(): void; resume(): void }>();

  private readonly spool: DeliverySpool;

  constructor(private readonly options: LocalBusOptions) {
    this.spool = new DeliverySpool(options.spoolFile);
    for (const subscription of options.subscriptions) {
      this.queues.set(subscription.consumer, { subscription, messages: [], busy: false });
    }
  }

  async start(): Promise<void> {
    for (const delivery of this.spool.recover()) this.enqueue(delivery);
    this.server = createServer(signedOnly(new SignatureCheck(this.options.credentials, "events"), JSON_1_1_ERRORS, (req, res, body) => {
      try {
        const answer = this.receive(req, body);
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(answer));
      } catch (error) {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify({ __type: "ValidationException", message: (error as Error).message }));
      }
    }));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Fault injection for tests: the next `count` entries (0 stops) answer InternalFailure, as EventBridge sometimes does. */
  refuseNextEntries(count: number): void {
    this.refusals = count;
  }

  /**
   * Holds deliveries (events are still accepted and queued) until `resumeDeliveries`: on AWS the
   * consumers are other functions on other machines, so a benchmark of a request path holds them
   * rather than let them share its thread.
   */
  pauseDeliveries(): void {
    this.paused = true;
    for (const feeder of this.feeders) feeder.pause();
  }

  /** Holds the deliveries to these consumers alone (the others, and the stream's feed, go on) until `resumeDeliveries`. */
  holdConsumers(consumers: readonly string[]): void {
    for (const consumer of consumers) this.held.add(consumer);
  }

  resumeDeliveries(): void {
    this.paused = false;
    this.held.clear();
    for (const feeder of this.feeders) feeder.resume();
    for (const queue of this.queues.values()) if (queue.messages.length) this.schedule(queue, 0);
  }

  /** A function that publishes here from outside (the relay on the table's stream) is held and resumed with the consumers. */
  addFeeder(feeder: { pause(): void; resume(): void }): void {
    this.feeders.add(feeder);
  }

  /**
   * Work outside the bus that may publish to it (a record of the table's stream): `idle` waits for
   * it too. Answers the function that says it is done.
   */
  expect(): () => void {
    this.pending++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.settle();
    };
  }

  /** Resolves when every accepted event, and all the work it waits for, has been consumed or dead-lettered. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops accepting events and lets the consumers finish, for at most `graceMs`: what is still
   * undelivered then stays in the spool and is delivered at the next start, as after a crash. A
   * wait that runs out says which queues still held messages, so that a stuck consumer shows.
   */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.server) await closeServer(this.server, "local bus");
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<"out of time">((resolve) => (timer = setTimeout(() => resolve("out of time"), graceMs)));
    const outcome = await Promise.race([this.idle(), outOfTime]);
    clearTimeout(timer);
    if (outcome !== "out of time") return;
    this.paused = true; // a batch still running may finish or fail later: nothing is received again
    for (const queue of this.queues.values()) {
      if (queue.timer) clearTimeout(queue.timer);
      if (queue.busy || queue.messages.length) {
        process.emitWarning(`local bus stopped with ${queue.subscription.consumer} ${queue.busy ? "still consuming a batch" : "idle"} and ${queue.messages.length} message(s) queued; they stay in the spool`);
      }
    }
  }

  private receive(req: IncomingMessage, body: Buffer) {
    if (req.headers["x-amz-target"] !== "AWSEvents.PutEvents") throw new Error("only PutEvents is supported");
    this.stats.putEventsCalls++;
    const { Entries = [] } = JSON.parse(body.toString("utf8")) as { Entries?: PutEventsEntry[] };
    if (Entries.length < 1 || Entries.length > 10) throw new Error("PutEvents takes 1 to 10 entries");
    this.stats.putEventsEntries += Entries.length;
    const results = Entries.map((entry) => this.accept(entry));
    return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
  }

  private accept(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    if (this.refusals > 0) {
      this.refusals--;
      return { ErrorCode: "InternalFailure", ErrorMessage: "injected failure" };
    }
    if (!entry.Source || !entry.DetailType || !entry.Detail) {
      return { ErrorCode: "MalformedDetail", ErrorMessage: "Source, DetailType and Detail are required" };
    }
    const envelope: EventBridgeEvent<string, unknown> = {
      version: "0",
      id: randomUUID(),
      "detail-type": entry.DetailType,
      source: entry.Source,
      account: "000000000000",
      time: new Date(typeof entry.Time === "number" ? entry.Time * 1000 : entry.Time ?? Date.now()).toISOString(),
      region: this.options.region ?? "local",
      resources: [],
      detail: JSON.parse(entry.Detail) as unknown,
    };
    for (const subscription of this.options.subscriptions) {
      if (!(subscription.detailTypes as readonly string[]).includes(entry.DetailType)) continue;
      if ("source" in subscription && subscription.source !== entry.Source) continue;
      const delivery = { id: `${envelope.id}/${subscription.consumer}`, consumer: subscription.consumer, envelope };
      this.spool.queued(delivery);
      this.enqueue(delivery);
    }
    return { EventId: envelope.id };
  }

  /** The rule's target: the message lands on the consumer's queue. */
  private enqueue(delivery: SpooledDelivery): void {
    const queue = this.queues.get(delivery.consumer);
    if (!queue) return this.spool.done(delivery.id); // a consumer since removed
    this.pending++;
    this.count(delivery.consumer).messages++;
    const now = Date.now();
    queue.messages.push({ delivery, messageId: delivery.id, sentAt: now, receives: 0, visibleAt: now });
    this.schedule(queue, 0); // asynchronously, as EventBridge: PutEvents answers first
  }

  private schedule(queue: LocalQueue, delayMs: number): void {
    if (queue.timer) clearTimeout(queue.timer);
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.poll(queue);
    }, Math.max(0, delayMs));
  }

  /** The event source mapping: receives a batch of visible messages and invokes the consumer with it. */
  private async poll(queue: LocalQueue): Promise<void> {
    if (this.paused || this.held.has(queue.subscription.consumer) || queue.busy || queue.messages.length === 0) return;
    const now = Date.now();
    const batch = queue.messages.filter((m) => m.visibleAt <= now).slice(0, this.options.batchSize ?? QUEUE_DELIVERY.batchSize);
    if (batch.length === 0) {
      this.schedule(queue, Math.min(...queue.messages.map((m) => m.visibleAt)) - now);
      return;
    }
    queue.busy = true;
    queue.messages = queue.messages.filter((m) => !batch.includes(m));
    for (const message of batch) {
      message.receives++;
      message.firstReceivedAt ??= now;
    }

    const { handler } = queue.subscription;
    this.count(queue.subscription.consumer).batches++;
    const failed = new Map<Message, string>();
    try {
      const consumer = await this.options.loadConsumer(handler);
      const event: SQSEvent = { Records: batch.map((m) => this.record(m)) };
      const response = (await consumer(event, lambdaContext(handler))) as SQSBatchResponse | undefined;
      const reported = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      for (const message of batch) if (reported.has(message.messageId)) failed.set(message, "reported as failed by the consumer (see its log)");
    } catch (error) {
      // Powertools' FullBatchFailureError carries each record's own error; with one record, that one says why.
      const { message, recordErrors } = error as Error & { recordErrors?: Error[] };
      const reason = recordErrors?.length === 1 ? recordErrors[0]!.message : message;
      for (const item of batch) failed.set(item, reason);
    }

    const { attempts, baseDelayMs } = this.options.retry ?? { attempts: QUEUE_DELIVERY.maxReceiveCount, baseDelayMs: 500 };
    for (const message of batch) {
      const reason = failed.get(message);
      if (reason === undefined) {
        this.finish(message);
      } else if (message.receives >= attempts) {
        appendFileSync(this.options.deadLetterFile, JSON.stringify({
          consumer: queue.subscription.consumer, attempts: message.receives, error: reason, failedAt: new Date().toISOString(),
          event: message.delivery.envelope,
        }) + "\n");
        this.finish(message);
      } else {
        message.visibleAt = Date.now() + baseDelayMs;
        queue.messages.push(message);
      }
    }
    queue.busy = false;
    if (queue.messages.length) this.schedule(queue, Math.min(...queue.messages.map((m) => m.visibleAt)) - Date.now());
  }

  /** What SQS hands Lambda for one message that EventBridge sent: the event, as JSON, in the body. */
  private record(message: Message): SQSRecord {
    const { consumer, envelope } = message.delivery;
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}/${message.receives}`,
      body: JSON.stringify(envelope),
      attributes: {
        ApproximateReceiveCount: String(message.receives),
        SentTimestamp: String(message.sentAt),
        SenderId: "events.amazonaws.com",
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${this.options.region ?? "local"}:000000000000:${consumer}`,
      awsRegion: this.options.region ?? "local",
    };
  }

  private count(consumer: string): { messages: number; batches: number } {
    let counts = this.stats.consumers.get(consumer);
    if (!counts) this.stats.consumers.set(consumer, (counts = { messages: 0, batches: 0 }));
    return counts;
  }

  private finish(message: Message): void {
    this.spool.done(message.delivery.id);
    this.settle();
  }

  private settle(): void {
    if (--this.pending > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
