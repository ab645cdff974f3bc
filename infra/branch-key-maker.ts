import { CustomResource, RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { AccountRootPrincipal, CompositePrincipal, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Provider } from "aws-cdk-lib/custom-resources";
import { NagSuppressions } from "cdk-nag";
import { Function, type Stack } from "sst/constructs";
import { TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import { branchKeyTableName } from "./branch-keys.js";
import { NODEJS_BUNDLING } from "./bundling.js";
import { keyUserRoleName } from "./functions.js";
import { BRANCH_KEY_MAKER_SUPPRESSIONS } from "./nag.js";
import type { StageConfig } from "./stages.js";

export const BRANCH_KEY_MAKER_HANDLER = "functions/custom-resources/branch-key.handler";

/**
 * What making or versioning a branch key calls (the library's createKey and versionKey): the store's
 * active record (GetItem), its records written in one TransactWriteItems of puts (PutItem to IAM),
 * and KMS for the store's context only: a branch key wrapped without its plaintext, re-wrapped as
 * the active one. None of these returns a plaintext key.
 */
export const BRANCH_KEY_STORE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem"] as const;
export const BRANCH_KEY_KMS_ACTIONS = ["kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"] as const;

/** The role that makes and versions branch keys, by a name fixed in advance: the key policy names it before it exists. */
export const branchKeyMakerRoleName = (stage: string, region: string) => keyUserRoleName(stage, region, BRANCH_KEY_MAKER_HANDLER);

/**
 * The stage's first branch key, made at deploy time: a custom resource (CDK's provider framework)
 * whose function runs the library's createKey (functions/custom-resources/branch-key.ts), so TOTP
 * works when the deploy ends. The same role is the one `npm run create-branch-key` (rotation)
 * assumes to version the key: it trusts Lambda and the account's own principals (those IAM lets
 * assume it), and the key policy's MakeBranchKeys statement names it alone.
 */
export function addBranchKeyMaker(stack: Stack, { key, branchKeys, config }: { key: IKey; branchKeys: ITable; config: StageConfig }): CustomResource {
  const role = new Role(stack, "BranchKeyMakerRole", {
    roleName: branchKeyMakerRoleName(stack.stage, stack.region),
    description: "Makes and versions the TOTP branch key (deploy-time custom resource; npm run create-branch-key rotates)",
    assumedBy: new CompositePrincipal(new ServicePrincipal("lambda.amazonaws.com"), new AccountRootPrincipal()),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
  });
  role.addToPolicy(new PolicyStatement({ actions: [...BRANCH_KEY_STORE_ACTIONS], resources: [branchKeys.tableArn] }));
  role.addToPolicy(new PolicyStatement({
    actions: [...BRANCH_KEY_KMS_ACTIONS],
    resources: [key.keyArn],
    conditions: { StringEquals: { "kms:EncryptionContext:tablename": branchKeyTableName(stack.stage) } },
  }));
  const logs = (id: string) => new LogGroup(stack, id, {
    retention: RetentionDays[config.logRetention.toUpperCase() as Uppercase<typeof config.logRetention>],
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const maker = new Function(stack, "BranchKeyMaker", {
    handler: BRANCH_KEY_MAKER_HANDLER,
    runtime: "nodejs22.x",
    architecture: "arm_64",
    memorySize: 512,
    timeout: 60,
    tracing: "disabled",
    role,
    logGroup: logs("BranchKeyMakerLogs"),
    environment: { BRANCH_KEY_TABLE_NAME: branchKeys.tableName, KMS_KEY_ARN: key.keyArn, BRANCH_KEY_ID: TOTP_BRANCH_KEY_ID },
    nodejs: { ...NODEJS_BUNDLING, esbuild: { ...NODEJS_BUNDLING.esbuild, external: [...NODEJS_BUNDLING.esbuild.external] } },
  });
  const provider = new Provider(stack, "BranchKeyProvider", { onEventHandler: maker, logGroup: logs("BranchKeyProviderLogs") });
  const resource = new CustomResource(stack, "BranchKey", {
    serviceToken: provider.serviceToken,
    resourceType: "Custom::BranchKey",
    // A store or key replaced is an update: the key is made anew in it.
    properties: { TableName: branchKeys.tableName, KeyArn: key.keyArn, BranchKeyId: TOTP_BRANCH_KEY_ID },
  });
  resource.node.addDependency(role);
  NagSuppressions.addResourceSuppressions([role, provider], BRANCH_KEY_MAKER_SUPPRESSIONS, true);
  return resource;
}
