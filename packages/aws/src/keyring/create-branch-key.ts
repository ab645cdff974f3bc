import type { BranchKeyStoreNode } from "@aws-crypto/branch-keystore-node";
import { GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BRANCH_KEY_TABLE_KEYS } from "./branch-key-table.js";

/** The one branch key the TOTP secrets are sealed under (the stacks and the local runtime name it so). */
export const TOTP_BRANCH_KEY_ID = "totp-secrets";

/**
 * Creates the branch key `branchKeyId` with the library's own `createKey` (a version and an active
 * record, plus the beacon key it always makes, written in one TransactWriteItems; KMS
 * GenerateDataKeyWithoutPlaintext and ReEncrypt), unless its active record exists already. Its
 * custom encryption context `purpose: totp` is bound to the branch key by KMS.
 */
export async function createBranchKey(store: BranchKeyStoreNode, branchKeyId: string): Promise<"created" | "exists"> {
  // The default storage (the library's DynamoDBKeyStorage) holds its client and table name.
  const { ddbClient, ddbTableName } = store.storage as unknown as { ddbClient: DynamoDBClient; ddbTableName: string };
  const { Item } = await ddbClient.send(new GetItemCommand({
    TableName: ddbTableName,
    Key: { [BRANCH_KEY_TABLE_KEYS.partitionKey]: { S: branchKeyId }, [BRANCH_KEY_TABLE_KEYS.sortKey]: { S: "branch:ACTIVE" } },
    ConsistentRead: true,
  }));
  if (Item) return "exists";
  await store.createKey({ branchKeyIdentifier: branchKeyId, encryptionContext: { purpose: "totp" } });
  return "created";
}
