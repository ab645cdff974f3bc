import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import type { Stack } from "sst/constructs";
import { BRANCH_KEY_TABLE_KEYS, TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import type { StageConfig } from "./stages.js";

/**
 * The branch key store's table name, fixed in advance: it is also the store's logical name, which
 * KMS sees as encryption context `tablename` on every branch key and which the key policy
 * conditions on, so the Keys stack must know it before anything is deployed.
 */
export const branchKeyTableName = (stage: string) => `${stage}-twofactor-branch-keys`;

/** The encryption context KMS sees when a function unwraps the TOTP branch key (keys.ts and functions.ts condition on it). */
export const branchKeyContext = (stage: string) => ({
  "kms:EncryptionContext:tablename": branchKeyTableName(stage),
  "kms:EncryptionContext:branch-key-id": TOTP_BRANCH_KEY_ID,
});

/**
 * The hierarchical keyring's branch key store: the library's schema (`branch-key-id`, `type`). Its
 * records hold branch keys wrapped by the TOTP secrets key, so losing the table loses every secret
 * sealed since: like the main table, `prod` retains and protects it.
 */
export function branchKeyTable(stack: Stack, config: StageConfig): Table {
  return new Table(stack, "BranchKeys", {
    tableName: branchKeyTableName(stack.stage),
    partitionKey: { name: BRANCH_KEY_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
    sortKey: { name: BRANCH_KEY_TABLE_KEYS.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    deletionProtection: config.retain,
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
