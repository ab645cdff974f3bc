import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { onDemandTableInput } from "../dynamo/table-definition.js";

/** The branch key store's key schema, as `@aws-crypto/branch-keystore-node` reads it: `branch-key-id` and `type`. */
export const BRANCH_KEY_TABLE_KEYS = { partitionKey: "branch-key-id", sortKey: "type" } as const;

/** CreateTable input for a branch key store (on-demand), for the local runtime; the stacks define the same keys. */
export function branchKeyTableInput(tableName: string): CreateTableCommandInput {
  return onDemandTableInput(tableName, BRANCH_KEY_TABLE_KEYS);
}
