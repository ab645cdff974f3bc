import { performance } from "node:perf_hooks";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { currentHandler, type LocalRuntime } from "@twofactor/local";
import { roundTripsInSeries } from "../../tests/support/round-trips.js";

/** One request to the table, as the stand-in answered it and DynamoDB would bill it. */
export interface StoreCall {
  handler: string;
  command: string;
  start: number;
  end: number;
  rru: number;
  wru: number;
  /** Write units of the sparse `outbox` index: an item entering or leaving it. */
  indexWru: number;
}

/** What one function wrote to its log, as CloudWatch Logs would ingest it. */
export interface Usage {
  store: StoreCall[];
  /** Each PutEvents call: its entries, their bytes, and how many of them mail someone (a new device remembered). */
  putEvents: { handler: string; entries: number; bytes: number; mailed: number }[];
  logBytes: Map<string, number>;
  /** Custom metrics the functions reported (EMF lines in their logs), by namespace, name and dimensions. */
  metrics: Set<string>;
}

/** The events that send a mail when notifications are on, as far as the priced operations go. */
const MAILED = new Set(["DeviceTrusted"]);

const INDEX_KEY = "outboxShard";

/**
 * Meters what the functions of a local runtime ask of AWS: every request to the table (through the
 * SDK's middleware: its command, when it went out and came back, and its capacity — dynalite
 * computes read and write units from item sizes as DynamoDB does when asked for
 * `ReturnConsumedCapacity`; a write refused by its condition is billed as the item it read; an
 * item entering or leaving the outbox index costs the index a write), every PutEvents call and
 * its entries, and the bytes each function logs. All by the function that sent it.
 */
export class Meter {
  private usage: Usage = { store: [], putEvents: [], logBytes: new Map(), metrics: new Set() };
  private metering = false;

  constructor(private readonly system: LocalRuntime) {}

  /** Starts metering (again, from nothing); the runtime's clients are those of its current cold start. */
  start(): void {
    this.usage = { store: [], putEvents: [], logBytes: new Map(), metrics: new Set() };
    const { dynamodb, eventBridge } = this.system.runtime.clients;
    dynamodb.middlewareStack.add((next, context) => async (args) => {
      const handler = currentHandler() ?? "bench";
      const input = args.input as Record<string, unknown>;
      if (unmetered.has(input)) return next(args);
      input.ReturnConsumedCapacity = "TOTAL";
      const start = performance.now();
      const command = (context.commandName ?? "?").replace(/Command$/, "");
      try {
        const out = await next(args);
        const write = isWrite(command);
        // A query that finds nothing is still billed its minimum (dynalite answers 0): a strongly consistent unit, or half one.
        const units = capacity((out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity) || (write ? 1 : input.ConsistentRead ? 1 : 0.5);
        this.usage.store.push({ handler, command, start, end: performance.now(), rru: write ? 0 : units, wru: write ? units : 0, indexWru: indexWrites(input) });
        return out;
      } catch (error) {
        const end = performance.now();
        if ((error as Error).name === "ConditionalCheckFailedException") {
          // DynamoDB bills a refused write as the item's size (at least one unit): read it, unmetered.
          const read = { TableName: input.TableName as string, Key: (input.Key as Record<string, unknown> | undefined) ?? pick(input.Item as Record<string, unknown>) };
          unmetered.add(read);
          const stored = await dynamodb.send(new GetCommand(read)).catch(() => undefined);
          this.usage.store.push({ handler, command, start, end, rru: 0, wru: Math.max(1, Math.ceil(bytes(stored?.Item) / 1024)), indexWru: 0 });
        }
        throw error;
      }
    }, { step: "initialize", name: "costMeter", override: true });
    eventBridge.middlewareStack.add((next) => async (args) => {
      const entries = (args.input as { Entries?: { DetailType?: string; Detail?: string }[] }).Entries ?? [];
      this.usage.putEvents.push({
        handler: currentHandler() ?? "bench", entries: entries.length,
        bytes: entries.reduce((sum, e) => sum + Buffer.byteLength(e.Detail ?? "") + Buffer.byteLength(e.DetailType ?? ""), 0),
        mailed: entries.filter((e) => MAILED.has(e.DetailType ?? "")).length,
      });
      return next(args);
    }, { step: "initialize", name: "costMeter", override: true });
    this.metering = true;
  }

  /** From now on what a function writes to stdout goes to CloudWatch Logs, as on AWS: counted while metering, never shown. */
  captureLogs(): () => void {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const handler = currentHandler();
      if (!handler) return write(chunk as string, ...(rest as []));
      if (this.metering) {
        this.usage.logBytes.set(handler, (this.usage.logBytes.get(handler) ?? 0) + Buffer.byteLength(chunk));
        for (const metric of emfMetrics(String(chunk))) this.usage.metrics.add(metric);
      }
      return true;
    }) as typeof process.stdout.write;
    return () => { process.stdout.write = write; };
  }

  /** What was metered so far. */
  peek(): Usage {
    return this.usage;
  }

  /** Stops metering and answers what was metered since `start`. */
  stop(): Usage {
    const { dynamodb, eventBridge } = this.system.runtime.clients;
    dynamodb.middlewareStack.remove("costMeter");
    eventBridge.middlewareStack.remove("costMeter");
    this.metering = false;
    return this.usage;
  }
}

/** The metrics an EMF line reports: `namespace/name{dimension=value,…}`. */
function emfMetrics(text: string): string[] {
  if (!text.includes('"_aws"')) return [];
  try {
    const blob = JSON.parse(text) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    return blob._aws.CloudWatchMetrics.flatMap(({ Namespace, Dimensions, Metrics }) => Metrics.flatMap(({ Name }) =>
      (Dimensions.length ? Dimensions : [[]]).map((set) => `${Namespace}/${Name}{${set.map((d) => `${d}=${String(blob[d])}`).join(",")}}`)));
  } catch {
    return [];
  }
}

/** Bytes of an item as DynamoDB sizes it, roughly: names and values as UTF-8 (a refused write's bill). */
function bytes(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(JSON.stringify(value) ?? ""), 0);
}

/** The meter's own reads (the size of an item a refused write read), which nobody else would make. */
const unmetered = new WeakSet<object>();
const pick = (item: Record<string, unknown> | undefined) => ({ pk: item?.pk, sk: item?.sk });
const isWrite = (command: string) => ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"].includes(command);

function capacity(consumed: unknown): number {
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number }[];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/** An update that sets the outbox index's key puts the item in the index; one that removes it takes it out. */
function indexWrites(input: Record<string, unknown>): number {
  const expression = input.UpdateExpression as string | undefined;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  if (!expression) return 0;
  let writes = 0;
  for (const clause of expression.split(/\b(?=SET |REMOVE |ADD |DELETE )/)) {
    const named = [...clause.matchAll(/#\w+/g)].map((m) => names[m[0]]);
    if (!named.includes(INDEX_KEY)) continue;
    if (clause.startsWith("SET ") || clause.startsWith("REMOVE ")) writes++;
  }
  return writes;
}

/** Round trips one after another (tests/support/round-trips.ts). */
export const criticalPath = roundTripsInSeries;
