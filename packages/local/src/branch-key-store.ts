import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { branchKeyStore, branchKeyTableInput, createBranchKey } from "@twofactor/aws";
import { carryTransactionsAsPuts } from "./transactions-as-puts.js";
import type { LocalCredentials } from "./sigv4-guard.js";

/**
 * The branch key store in the local dynalite, and its first branch key, made at first start by the
 * library's own `createKey` against the local KMS. One liberty: `createKey` writes its records with
 * TransactWriteItems, which dynalite lacks, so this one client carries the transaction out as its
 * conditional puts (transactions-as-puts.ts); nothing else writes the store while it starts.
 * Reading branch keys and sealing secrets afterwards go through the library as on AWS.
 */
export async function ensureBranchKeyStore(options: {
  dynamoEndpoint: string; kmsEndpoint: string; kmsKeyArn: string; region: string; tableName: string; branchKeyId: string;
  credentials: LocalCredentials;
}): Promise<"created" | "exists"> {
  const { dynamoEndpoint, kmsEndpoint, kmsKeyArn, region, tableName, branchKeyId, credentials } = options;
  const plain = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials });
  const dynamodb = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials });
  const kms = new KMSClient({ endpoint: kmsEndpoint, region, credentials });
  const closeTransactions = carryTransactionsAsPuts(dynamodb, dynamoEndpoint, region, credentials);
  try {
    await ensureTable(plain, tableName);
    return await createBranchKey(branchKeyStore({ tableName, kmsKeyArn, kms, dynamodb }), branchKeyId);
  } finally {
    plain.destroy();
    closeTransactions();
    dynamodb.destroy();
    kms.destroy();
  }
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(branchKeyTableInput(tableName)));
  for (let attempt = 0; attempt < 500; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
