import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EventBridgeEvent } from "aws-lambda";
import type { Subscription } from "@twofactor/events/subscriptions";
import { DeliverySpool, type SpooledDelivery } from "./delivery-spool.js";

export type Consumer = (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;

export interface LocalBusOptions {
  subscriptions: readonly Subscription[];
  loadConsumer: (handler: string) => Promise<Consumer>;
  deadLetterFile: string;
  /** Journal of accepted deliveries, replayed on start (see DeliverySpool). */
  spoolFile: string;
  /** EventBridge retries for up to 24 h; locally a few quick tries show the same behaviour. */
  retry?: { attempts: number; baseDelayMs: number };
  region?: string;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
}

/**
 * An in-process EventBridge: it speaks PutEvents over HTTP on loopback, so the EventBridge adapter
 * runs unchanged against it, and delivers to the consumers of `events/subscriptions.ts` with
 * EventBridge's semantics: asynchronously, at least once (journaled, so a crash loses nothing it
 * accepted), retried with exponential backoff, and dead-lettered to a JSONL file when the retries run out.
 */
export class LocalEventBus {
  private server?: Server;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private refusals = 0;
  endpoint = "";
  /** How many PutEvents calls arrived: their count is what EventBridge bills. */
  readonly stats = { putEventsCalls: 0 };

  private readonly spool: DeliverySpool;

  constructor(private readonly options: LocalBusOptions) {
    this.spool = new DeliverySpool(options.spoolFile);
  }

  async start(): Promise<void> {
    for (const delivery of this.spool.recover()) this.deliver(delivery, 1);
    this.server = createServer((req, res) => {
      void this.receive(req).then(
        (body) => { res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }); res.end(JSON.stringify(body)); },
        (error: Error) => { res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }); res.end(JSON.stringify({ __type: "ValidationException", message: error.message })); },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Fault injection for tests: the next `count` entries (0 stops) answer InternalFailure, as EventBridge sometimes does. */
  refuseNextEntries(count: number): void {
    this.refusals = count;
  }

  /** Resolves when every accepted event has been delivered or dead-lettered. */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.idle();
  }

  private async receive(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.headers["x-amz-target"] !== "AWSEvents.PutEvents") throw new Error("only PutEvents is supported");
    this.stats.putEventsCalls++;
    const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Entries?: PutEventsEntry[] };
    if (Entries.length < 1 || Entries.length > 10) throw new Error("PutEvents takes 1 to 10 entries");
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
      const delivery = { id: `${envelope.id}/${subscription.consumer}`, consumer: subscription.consumer, envelope };
      this.spool.queued(delivery);
      this.deliver(delivery, 1);
    }
    return { EventId: envelope.id };
  }

  private deliver(delivery: SpooledDelivery, attempt: number): void {
    const subscription = this.options.subscriptions.find((candidate) => candidate.consumer === delivery.consumer);
    if (!subscription) return this.spool.done(delivery.id); // a consumer since removed
    const { attempts, baseDelayMs } = this.options.retry ?? { attempts: 5, baseDelayMs: 200 };
    this.inFlight++;
    const delay = attempt === 1 ? 0 : baseDelayMs * 2 ** (attempt - 2);
    setTimeout(() => {
      this.options.loadConsumer(subscription.handler)
        .then((consumer) => consumer(delivery.envelope))
        .then(() => this.spool.done(delivery.id))
        .catch((error: Error) => {
          if (attempt < attempts) return this.deliver(delivery, attempt + 1);
          appendFileSync(this.options.deadLetterFile, JSON.stringify({
            consumer: subscription.consumer, attempts: attempt, error: error.message, failedAt: new Date().toISOString(), event: delivery.envelope,
          }) + "\n");
          this.spool.done(delivery.id);
        })
        .finally(() => this.settle());
    }, delay);
  }

  private settle(): void {
    if (--this.inFlight > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
