import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ResourceNotFoundException, type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { branchKeyStore, branchKeyTableInput, createBranchKey } from "@twofactor/aws";
import type { LocalCredentials } from "./sigv4-guard.js";

/**
 * The branch key store in the local dynalite, and its first branch key, made at first start by the
 * library's own `createKey` against the local KMS. One liberty: `createKey` writes its records with
 * TransactWriteItems, which dynalite lacks, so this one client carries the transaction out as its
 * conditional puts, one after the other. Nothing else writes the store while it starts (a crash
 * between the puts leaves a record that `attribute_not_exists` then refuses: delete the data folder).
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
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      for (const { Put, ...other } of (args.input as TransactWriteItemsCommandInput).TransactItems ?? []) {
        if (!Put || Object.keys(other).length) throw new Error("Only a transaction of puts can be carried out without TransactWriteItems.");
        await plain.send(new PutItemCommand(Put));
      }
      return { output: { $metadata: {} }, response: {} } as Awaited<ReturnType<typeof next>>;
    },
    { step: "initialize", name: "transactionAsConditionalPuts" },
  );
  try {
    await ensureTable(plain, tableName);
    return await createBranchKey(branchKeyStore({ tableName, kmsKeyArn, kms, dynamodb }), branchKeyId);
  } finally {
    plain.destroy();
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
