import type { BranchKeyStoreNode } from "@aws-crypto/branch-keystore-node";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from "aws-lambda";
import { branchKeyStore, createBranchKey } from "@twofactor/aws";
import { readConfig, type RuntimeConfig } from "../config.js";

interface Maker {
  config: RuntimeConfig & { BRANCH_KEY_TABLE_NAME: string; KMS_KEY_ARN: string };
  dynamodb: DynamoDBClient;
  kms: KMSClient;
  store: BranchKeyStoreNode;
}

let maker: Maker | undefined;

/** The store and its clients, built once per container from the environment the Keys stack sets. */
export function branchKeyMaker(): Maker {
  if (maker) return maker;
  const config = readConfig();
  const { BRANCH_KEY_TABLE_NAME: tableName, KMS_KEY_ARN: kmsKeyArn } = config;
  if (!tableName || !kmsKeyArn) throw new Error("BRANCH_KEY_TABLE_NAME and KMS_KEY_ARN must name the branch key store and its key.");
  const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
  const dynamodb = new DynamoDBClient(endpoint(config.DYNAMODB_ENDPOINT));
  const kms = new KMSClient(endpoint(config.KMS_ENDPOINT));
  maker = { config: { ...config, BRANCH_KEY_TABLE_NAME: tableName, KMS_KEY_ARN: kmsKeyArn }, dynamodb, kms, store: branchKeyStore({ tableName, kmsKeyArn, kms, dynamodb }) };
  return maker;
}

/**
 * The Keys stack's custom resource, called by CDK's provider framework: on create and on update,
 * the stage's first branch key, made by the library's own `createKey` unless it exists already, so
 * TOTP works as soon as a deploy ends. Delete leaves the key: it goes with its table, which `prod`
 * retains. Rotating it is `npm run create-branch-key` (the library's `versionKey`).
 */
export async function handler(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  if (event.RequestType === "Delete") return { PhysicalResourceId: event.PhysicalResourceId };
  const { config, store } = branchKeyMaker();
  const outcome = await createBranchKey(store, config.BRANCH_KEY_ID);
  return {
    PhysicalResourceId: `${config.BRANCH_KEY_TABLE_NAME}/${config.BRANCH_KEY_ID}`,
    Data: { BranchKeyId: config.BRANCH_KEY_ID, Outcome: outcome },
  };
}
