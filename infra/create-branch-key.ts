import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { branchKeyStore, createBranchKey, TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import { branchKeyTableName } from "./branch-keys.js";

/**
 * `npm run create-branch-key -- --stage NAME`: the deploy step after the first deployment of a
 * stage (or of the hierarchical keyring): creates the TOTP branch key in the stage's branch key
 * store with the library's own createKey (KMS GenerateDataKeyWithoutPlaintext and ReEncrypt, which
 * the key policy's MakeBranchKeys statement lets the account do for this store only; one
 * TransactWriteItems). Run with an administrator's credentials; does nothing if the key exists.
 */
const flag = process.argv.indexOf("--stage");
const stage = (flag >= 0 ? process.argv[flag + 1] : undefined) ?? process.env.SST_STAGE;
if (!stage) {
  console.error("usage: npm run create-branch-key -- --stage NAME");
  process.exit(1);
}
const region = process.env.AWS_REGION ?? "us-east-1";
const kms = new KMSClient({ region });
const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: `alias/${stage}-twofactor-totp-secrets` }));
const tableName = branchKeyTableName(stage);
const store = branchKeyStore({ tableName, kmsKeyArn: KeyMetadata!.Arn!, kms, dynamodb: new DynamoDBClient({ region }) });
const outcome = await createBranchKey(store, TOTP_BRANCH_KEY_ID);
console.log(`branch key '${TOTP_BRANCH_KEY_ID}' in ${tableName}: ${outcome === "created" ? "created" : "already there"}`);
