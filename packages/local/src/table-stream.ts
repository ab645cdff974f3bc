import { appendFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AttributeValue, Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { DeliverySpool } from "./delivery-spool.js";
import { lambdaContext } from "./lambda-context.js";

/** A function as Lambda runs it behind a DynamoDB stream's event source mapping. */
export type StreamConsumer = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

export interface LocalTableStreamOptions {
  tableName: string;
  /**
   * The attribute the consumer's filter asks for (on AWS: the new image holds it). Only updates
   * that name it and leave it on the item make records here; see `LocalTableStream`.
   */
  attribute: string;
  handler: string;
  loadConsumer: (handler: string) => Promise<StreamConsumer>;
  /** Journal of records not yet consumed, replayed on start (a crash loses none it accepted). */
  journalFile: string;
  deadLetterFile: string;
  batchSize: number;
  /** Tries of a failing batch before its records are dead-lettered, and the wait between tries. */
  retry: { attempts: number; baseDelayMs: number };
  /** Told of each accepted record; what it answers is called once the record is consumed (the local bus's `idle` waits for them). */
  accepted: () => () => void;
  region?: string;
}

interface Line {
  id: string;
  record: DynamoDBRecord;
}

/**
 * DynamoDB Streams for dynalite, which has none — as much of it as the outbox relay reads. It
 * watches dynalite's answers: an `UpdateItem` on the table that names the attribute and answers
 * the item after (`ALL_NEW`, as every update of the adapters asks) with the attribute on it
 * becomes a record with the keys and that new image, journaled before the writer gets its answer,
 * then handed to the consumer in batches, in order, one batch at a time (one shard), retried
 * while it fails and dead-lettered after the last try. Records carry no old image: the outbox
 * replaces what an item owes in every owing write, so the new image alone says what a write owes,
 * and writes that do not name the attribute (which the consumer's filter would pass on AWS, with
 * nothing new to publish) make no record.
 */
export class LocalTableStream {
  private readonly journal: DeliverySpool<Line>;
  private readonly queue: { line: Line; release: () => void }[] = [];
  private running?: Promise<void>;
  private paused = false;
  private sequence = 0;
  /** Records handed to the consumer, and the batches (invocations) they went in: what the cost bench prices. */
  readonly stats = { records: 0, batches: 0 };

  constructor(private readonly options: LocalTableStreamOptions) {
    this.journal = new DeliverySpool<Line>(options.journalFile);
  }

  /** Hands over what the journal holds from before (a crash, a stop that ran out of time). */
  recover(): void {
    for (const line of this.journal.recover()) this.enqueue(line);
  }

  /** Holds the consumer (records are still accepted), as the local bus holds its consumers for a benchmark's timed run. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /**
   * Lets the consumer finish what is queued (unless it is held), for at most `graceMs`; the rest
   * stays in the journal for the next start, and nobody waits for it any more.
   */
  async stop(graceMs = 20_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (!this.paused && (this.queue.length || this.running) && Date.now() < deadline) {
      await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 10))]);
    }
    this.paused = true;
    for (const entry of this.queue.splice(0)) entry.release();
  }

  /**
   * Sees a signed request to the table (its body read) before dynalite answers it: an `UpdateItem`
   * is recorded from dynalite's answer, as that answer is written (`startDynalite`'s tap).
   */
  observe(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    if (!String(req.headers["x-amz-target"] ?? "").endsWith(".UpdateItem")) return;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode === 200 && typeof args[0] === "string") this.record(body.toString("utf8"), args[0]);
      return end(...args);
    }) as typeof res.end;
  }

  private record(requestText: string, answerText: string): void {
    let request: { TableName?: string; Key?: Record<string, AttributeValue>; ExpressionAttributeNames?: Record<string, string> };
    let answer: { Attributes?: Record<string, AttributeValue> };
    try {
      request = JSON.parse(requestText) as typeof request;
      answer = JSON.parse(answerText) as typeof answer;
    } catch {
      return;
    }
    const image = answer.Attributes;
    const { attribute, tableName, region = "local" } = this.options;
    if (request.TableName !== tableName || !image?.[attribute] || !Object.values(request.ExpressionAttributeNames ?? {}).includes(attribute)) return;
    const sequence = `${Date.now()}${String(++this.sequence).padStart(10, "0")}`;
    const line: Line = {
      id: sequence,
      record: {
        eventID: sequence, eventName: "MODIFY", eventVersion: "1.1", eventSource: "aws:dynamodb", awsRegion: region,
        eventSourceARN: `arn:aws:dynamodb:${region}:000000000000:table/${tableName}/stream/local`,
        dynamodb: {
          Keys: request.Key, NewImage: image, SequenceNumber: sequence, SizeBytes: answerText.length,
          StreamViewType: "NEW_AND_OLD_IMAGES", ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        },
      },
    };
    this.journal.queued(line);
    this.enqueue(line);
  }

  private enqueue(line: Line): void {
    this.queue.push({ line, release: this.options.accepted() });
    this.pump();
  }

  private pump(): void {
    if (this.running || this.paused || this.queue.length === 0) return;
    this.running = this.consume().finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  /** The event source mapping: a batch at a time, in order; a failing batch is tried again before anything after it. */
  private async consume(): Promise<void> {
    // Asynchronously, as on AWS: the writer has its answer first.
    await new Promise((resolve) => setImmediate(resolve));
    const { handler, batchSize, retry } = this.options;
    const consumer = await this.options.loadConsumer(handler);
    while (this.queue.length && !this.paused) {
      const batch = this.queue.slice(0, batchSize);
      this.stats.records += batch.length;
      this.stats.batches++;
      let failure: unknown;
      for (let attempt = 1; attempt <= retry.attempts; attempt++) {
        try {
          await consumer({ Records: batch.map((entry) => entry.line.record) }, lambdaContext(handler));
          failure = undefined;
          break;
        } catch (error) {
          failure = error;
          if (attempt < retry.attempts) await new Promise((resolve) => setTimeout(resolve, retry.baseDelayMs));
        }
      }
      if (failure !== undefined) {
        // The on-failure destination: what is lost to the stream is written where someone sees it.
        for (const entry of batch) {
          appendFileSync(this.options.deadLetterFile, JSON.stringify({
            consumer: handler, attempts: retry.attempts, error: failure instanceof Error ? failure.message : String(failure),
            failedAt: new Date().toISOString(), record: entry.line.record,
          }) + "\n");
        }
      }
      for (const entry of batch) {
        const at = this.queue.indexOf(entry);
        if (at >= 0) this.queue.splice(at, 1);
        this.journal.done(entry.line.id);
        entry.release();
      }
    }
  }
}
