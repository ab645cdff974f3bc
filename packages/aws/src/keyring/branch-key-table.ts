import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** The branch key store's key schema, as `@aws-crypto/branch-keystore-node` reads it: `branch-key-id` and `type`. */
export const BRANCH_KEY_TABLE_KEYS = { partitionKey: "branch-key-id", sortKey: "type" } as const;

/** CreateTable input for a branch key store (on-demand), for the local runtime; the stacks define the same keys. */
export function branchKeyTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: BRANCH_KEY_TABLE_KEYS.partitionKey, AttributeType: "S" },
      { AttributeName: BRANCH_KEY_TABLE_KEYS.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: BRANCH_KEY_TABLE_KEYS.partitionKey, KeyType: "HASH" },
      { AttributeName: BRANCH_KEY_TABLE_KEYS.sortKey, KeyType: "RANGE" },
    ],
  };
}
