import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { branchKeyStore, BRANCH_KEY_TABLE_KEYS, TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import { branchKeyMakerRoleName } from "./branch-key-maker.js";
import { branchKeyTableName } from "./branch-keys.js";

/**
 * `npm run create-branch-key -- --stage NAME`: rotates the stage's TOTP branch key with the
 * library's `versionKey`: a new active version seals new secrets (within the functions' 10-minute
 * cache), older versions still open what they sealed. The first branch key is the deploy's (the Keys
 * stack's custom resource). Only the branch key maker's role may do this (the key policy's
 * MakeBranchKeys statement): run it with that role's credentials, e.g. an AWS profile whose
 * `role_arn` names it (docs/deploying.md, "Rotating the branch key").
 */
const flag = process.argv.indexOf("--stage");
const stage = (flag >= 0 ? process.argv[flag + 1] : undefined) ?? process.env.SST_STAGE;
if (!stage) {
  console.error("usage: npm run create-branch-key -- --stage NAME");
  process.exit(1);
}
const region = process.env.AWS_REGION ?? "us-east-1";
const tableName = branchKeyTableName(stage);
const dynamodb = new DynamoDBClient({ region });
try {
  // The active record names the key that wraps it: the role needs no KMS permission beyond making keys.
  const { Item } = await dynamodb.send(new GetItemCommand({
    TableName: tableName,
    Key: { [BRANCH_KEY_TABLE_KEYS.partitionKey]: { S: TOTP_BRANCH_KEY_ID }, [BRANCH_KEY_TABLE_KEYS.sortKey]: { S: "branch:ACTIVE" } },
    ConsistentRead: true,
  }));
  const kmsKeyArn = Item?.["kms-arn"]?.S;
  if (!kmsKeyArn) {
    console.error(`${tableName} has no branch key '${TOTP_BRANCH_KEY_ID}' yet: deploying the stage makes it (the Keys stack's custom resource).`);
    process.exit(1);
  }
  const store = branchKeyStore({ tableName, kmsKeyArn, kms: new KMSClient({ region }), dynamodb });
  await store.versionKey({ branchKeyIdentifier: TOTP_BRANCH_KEY_ID });
  console.log(`branch key '${TOTP_BRANCH_KEY_ID}' in ${tableName}: a new active version`);
} catch (error) {
  if ((error as Error).name === "AccessDeniedException") {
    console.error(`Access denied: run this as the role ${branchKeyMakerRoleName(stage, region)} (docs/deploying.md, "Rotating the branch key").`);
  }
  throw error;
}
