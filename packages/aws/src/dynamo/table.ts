import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand,
  type DynamoDBDocumentClient, type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { DependencyUnavailableError } from "@twofactor/core";

export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;
/** One request of a BatchWriteItem: an unconditional put, or a delete. */
export type BatchWrite = { put: Item } | { delete: Key };

/** BatchWriteItem takes at most 25 requests; this many calls go out at once. */
const BATCH_WRITE_SIZE = 25;
const BATCH_GET_SIZE = 100;
const BATCH_WRITE_CALLS = 4;

/**
 * One update, described by intent; attribute names and values get placeholders here so that
 * callers never splice strings. `condition` may use `#name`/`:value` placeholders of its own.
 */
export interface UpdateSpec {
  set?: Record<string, unknown>;
  setIfMissing?: Record<string, unknown>;
  add?: Record<string, number>;
  remove?: string[];
  /** Raw SET clauses for nested paths (e.g. `codes.#code = :used`). */
  setPaths?: string[];
  /** Raw nested paths to REMOVE (e.g. `#team.pending`), with placeholders of the caller's. */
  removePaths?: string[];
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export function buildUpdate(spec: UpdateSpec) {
  const names: Record<string, string> = { ...spec.names };
  const values: Record<string, unknown> = { ...spec.values };
  let n = 0;
  const name = (attribute: string) => { const p = `#u${n++}`; names[p] = attribute; return p; };
  const value = (v: unknown) => { const p = `:u${n++}`; values[p] = v; return p; };

  const sets = [
    ...Object.entries(spec.set ?? {}).map(([a, v]) => `${name(a)} = ${value(v)}`),
    ...Object.entries(spec.setIfMissing ?? {}).map(([a, v]) => { const p = name(a); return `${p} = if_not_exists(${p}, ${value(v)})`; }),
    ...(spec.setPaths ?? []),
  ];
  const adds = Object.entries(spec.add ?? {}).map(([a, v]) => `${name(a)} ${value(v)}`);
  const removes = [...(spec.remove ?? []).map(name), ...(spec.removePaths ?? [])];
  const expression = [
    sets.length ? `SET ${sets.join(", ")}` : "",
    adds.length ? `ADD ${adds.join(", ")}` : "",
    removes.length ? `REMOVE ${removes.join(", ")}` : "",
  ].filter(Boolean).join(" ");

  return {
    UpdateExpression: expression,
    ConditionExpression: spec.condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
  };
}

/** Errors that mean the store is down or overloaded, not that we asked wrongly. */
const UNAVAILABLE = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "TimeoutError", "ServiceUnavailable",
  "InternalServerError", "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
]);

export function isUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return UNAVAILABLE.has(e?.name ?? "") || UNAVAILABLE.has(e?.code ?? "") || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** The table as the stores use it: typed calls, conditional failures as `false`, outages as 503. */
export class Table {
  constructor(readonly client: DynamoDBDocumentClient, readonly name: string) {}

  async get(key: Key): Promise<Item | undefined> {
    const out = await this.call(() => this.client.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true })));
    return out.Item;
  }

  /**
   * The items at these keys, each once, in no particular order (BatchGetItem, strongly consistent):
   * 100 keys to a call (its limit), the calls at once; keys DynamoDB leaves unprocessed (under
   * throttling) are asked again.
   */
  async getMany(keys: readonly Key[]): Promise<Item[]> {
    const distinct = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
    const chunks: Key[][] = [];
    for (let i = 0; i < distinct.length; i += BATCH_GET_SIZE) chunks.push(distinct.slice(i, i + BATCH_GET_SIZE));
    return (await Promise.all(chunks.map((chunk) => this.getChunk(chunk)))).flat();
  }

  private async getChunk(keys: Key[]): Promise<Item[]> {
    const items: Item[] = [];
    let pending = keys;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      if (round === 8) throw new DependencyUnavailableError("The data store kept keys of a batch read unprocessed.");
      const out = await this.call(() => this.client.send(new BatchGetCommand({
        RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } },
      })));
      items.push(...(out.Responses?.[this.name] ?? []));
      pending = (out.UnprocessedKeys?.[this.name]?.Keys ?? []) as Key[];
    }
    return items;
  }

  async put(item: Item, condition?: string, values?: Record<string, unknown>): Promise<boolean> {
    return this.conditional(() =>
      this.client.send(new PutCommand({ TableName: this.name, Item: item, ConditionExpression: condition, ExpressionAttributeValues: values })));
  }

  /** Answers the item after the update, or undefined when the condition failed. */
  async update(key: Key, spec: UpdateSpec): Promise<Item | undefined> {
    let attributes: Item | undefined;
    const ok = await this.conditional(async () => {
      const out = await this.client.send(new UpdateCommand({ TableName: this.name, Key: key, ...buildUpdate(spec), ReturnValues: "ALL_NEW" }));
      attributes = out.Attributes;
    });
    return ok ? attributes ?? {} : undefined;
  }

  /**
   * Unconditional puts and deletes, 25 a call (BatchWriteItem), a few calls at once; what DynamoDB
   * leaves unprocessed (under throttling) is sent again with backoff. Answers the requests still
   * unprocessed after the last round, so that the caller fails only those. Only for writes whose
   * repetition changes nothing: no condition can guard them.
   */
  async batchWrite(requests: readonly BatchWrite[], rounds = 6): Promise<BatchWrite[]> {
    const chunks: BatchWrite[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_WRITE_SIZE) chunks.push(requests.slice(i, i + BATCH_WRITE_SIZE));
    const left: BatchWrite[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(BATCH_WRITE_CALLS, chunks.length) }, async () => {
      while (next < chunks.length) left.push(...(await this.batchWriteChunk(chunks[next++]!, rounds)));
    }));
    return left;
  }

  private async batchWriteChunk(chunk: BatchWrite[], rounds: number): Promise<BatchWrite[]> {
    let pending = chunk.map((request) => ("put" in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: request.delete } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round === rounds) return pending.map((r) => ("PutRequest" in r ? { put: r.PutRequest!.Item! } : { delete: r.DeleteRequest!.Key as Key }));
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      const out = await this.call(() => this.client.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } })));
      pending = (out.UnprocessedItems?.[this.name] ?? []) as typeof pending;
    }
    return [];
  }

  async delete(key: Key, condition?: string, values?: Record<string, unknown>): Promise<boolean> {
    return this.conditional(() =>
      this.client.send(new DeleteCommand({ TableName: this.name, Key: key, ConditionExpression: condition, ExpressionAttributeValues: values })));
  }

  /**
   * One DynamoDB Query call. Its answer may stop short of `Limit` — at 1 MB of items read, or when a
   * filter drops items — with `lastKey` (LastEvaluatedKey) set: fewer items never means "no more".
   * A list shown to a caller pages with `queryPage`, which accounts for that.
   */
  async query(input: Omit<QueryCommandInput, "TableName">): Promise<{ items: Item[]; lastKey?: Item }> {
    const out = await this.call(() => this.client.send(new QueryCommand({ TableName: this.name, ...input })));
    return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
  }

  /** Every item the query matches, following `LastEvaluatedKey` across DynamoDB's 1 MB answers. */
  async queryAll(input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.query({ ...input, ExclusiveStartKey: startKey });
      items.push(...out.items);
      startKey = out.lastKey;
    } while (startKey);
    return items;
  }

  /**
   * One page of a list, in key order: up to `limit` items from after `startKey`, reading on across
   * DynamoDB's 1 MB answers until the page is full or the store has no more. `lastKey` is set exactly
   * when more may follow — the key of the page's last item, or, when `maxCalls` ran out first, the key
   * DynamoDB stopped at — so that a caller who resumes from it with `ExclusiveStartKey` misses nothing
   * and sees nothing twice. `keyAttributes` are the attributes of such a key: the table's (`pk`,
   * `sk`), plus the index's own when `input` queries an index.
   */
  async queryPage(
    input: Omit<QueryCommandInput, "TableName" | "Limit" | "ExclusiveStartKey">,
    page: { limit: number; startKey?: Item; maxCalls?: number; keyAttributes?: readonly string[] },
  ): Promise<{ items: Item[]; lastKey?: Item }> {
    const { limit, maxCalls = 10, keyAttributes = ["pk", "sk"] } = page;
    const items: Item[] = [];
    let startKey = page.startKey;
    for (let calls = 1; ; calls++) {
      // One more than the page needs tells, without another call, whether anything follows it.
      const out = await this.query({ ...input, Limit: limit - items.length + 1, ExclusiveStartKey: startKey });
      items.push(...out.items);
      if (items.length > limit) {
        items.length = limit;
        const last = items[limit - 1]!;
        return { items, lastKey: Object.fromEntries(keyAttributes.map((name) => [name, last[name]])) };
      }
      if (!out.lastKey) return { items };
      startKey = out.lastKey;
      if (calls >= maxCalls) return { items, lastKey: startKey };
    }
  }

  private async conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(write);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error)?.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isUnavailable(error)) throw new DependencyUnavailableError("The data store is unavailable.", { cause: error });
      throw error;
    }
  }
}

export const epochSeconds = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000);
