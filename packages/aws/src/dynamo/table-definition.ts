import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** The sparse index of items that still owe events, partitioned by shard (see Outbox). */
export const OUTBOX_INDEX = "outbox";

/**
 * The single table, as plain data: the local runtime creates it from this, and the infrastructure
 * declares the same keys, index and TTL attribute from it.
 */
export const tableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Epoch seconds; DynamoDB's TTL deletes lazily, so every read also filters on it. */
  ttlAttribute: "expiresAt",
  indexes: [
    {
      /** Items that still owe events, oldest first per shard, for the outbox sweep. Sparse. */
      name: OUTBOX_INDEX,
      partitionKey: "outboxShard",
      sortKey: "outboxDue",
      sortKeyType: "N",
      projection: "KEYS_ONLY",
    },
  ],
} as const;

/** CreateTable input of an on-demand table keyed by two strings (this table's base, and the branch key store's). */
export function onDemandTableInput(tableName: string, keys: { partitionKey: string; sortKey: string }) {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    KeySchema: [
      { AttributeName: keys.partitionKey, KeyType: "HASH" as const },
      { AttributeName: keys.sortKey, KeyType: "RANGE" as const },
    ],
    AttributeDefinitions: [
      { AttributeName: keys.partitionKey, AttributeType: "S" as const },
      { AttributeName: keys.sortKey, AttributeType: "S" as const },
    ],
  } satisfies CreateTableCommandInput;
}

export function createTableInput(tableName: string): CreateTableCommandInput {
  const d = tableDefinition;
  const base = onDemandTableInput(tableName, d);
  return {
    ...base,
    AttributeDefinitions: [
      ...base.AttributeDefinitions,
      ...d.indexes.flatMap((index) => [
        { AttributeName: index.partitionKey, AttributeType: "S" as const },
        { AttributeName: index.sortKey, AttributeType: index.sortKeyType },
      ]),
    ],
    GlobalSecondaryIndexes: d.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" as const },
        { AttributeName: index.sortKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}
