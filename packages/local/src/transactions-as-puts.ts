import { DynamoDBClient, PutItemCommand, type TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import type { LocalCredentials } from "./sigv4-guard.js";

/**
 * Makes `client` carry out a TransactWriteItems of puts as its conditional puts, one after the
 * other, through a second client to the same endpoint: dynalite has no transactions, and the branch
 * key store's `createKey` and `versionKey` write with one. Only for a writer nothing else races (a
 * crash between the puts leaves a record that `attribute_not_exists` then refuses). Returns what
 * closes the second client.
 */
export function carryTransactionsAsPuts(client: DynamoDBClient, endpoint: string, region: string, credentials: LocalCredentials): () => void {
  const plain = new DynamoDBClient({ endpoint, region, credentials });
  client.middlewareStack.add(
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
  return () => plain.destroy();
}
