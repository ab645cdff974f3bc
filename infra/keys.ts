import { RemovalPolicy } from "aws-cdk-lib";
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { StackContext } from "sst/constructs";
import { stageConfig } from "./stages.js";

/**
 * The key policy names every action instead of CDK's default `kms:*` for the account: the account
 * can administer the key and delegate its use through IAM, and only the three actions the
 * Encryption SDK needs can be delegated (to the functions in permissions.ts).
 */
const ADMIN_ACTIONS = [
  "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
  "kms:DisableKeyRotation", "kms:ListKeyRotations", "kms:RotateKeyOnDemand", "kms:EnableKey", "kms:DisableKey",
  "kms:UpdateKeyDescription", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
  "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
  "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", "kms:RetireGrant",
  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
];
export const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"];

/**
 * The key that wraps TOTP secrets (envelope encryption by the Encryption SDK). Only the functions
 * permissions.ts marks `kms` may use it. Losing it loses every enrolled authenticator, so `prod`
 * retains it.
 */
export function Keys({ stack, app }: StackContext) {
  const config = stageConfig(stack.stage);
  const key = new Key(stack, "TotpSecretsKey", {
    description: "Wraps the data keys of TOTP secrets (twofactor)",
    enableKeyRotation: true,
    policy: new PolicyDocument({
      statements: [new PolicyStatement({ principals: [new AccountRootPrincipal()], actions: [...ADMIN_ACTIONS, ...USE_ACTIONS], resources: ["*"] })],
    }),
    alias: `alias/${app.logicalPrefixedName("totp-secrets")}`,
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  stack.addOutputs({ KeyArn: key.keyArn });
  return { key };
}
