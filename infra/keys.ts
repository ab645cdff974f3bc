import { RemovalPolicy } from "aws-cdk-lib";
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { StackContext } from "sst/constructs";
import { TOTP_SECRET_PURPOSE } from "@twofactor/core";
import { addBranchKeyMaker, BRANCH_KEY_KMS_ACTIONS, branchKeyMakerRoleName } from "./branch-key-maker.js";
import { branchKeyContext, branchKeyTable, branchKeyTableName } from "./branch-keys.js";
import { KEY_CONTEXT, keyUserRoleName } from "./functions.js";
import { keyUsers, KEY_ACTIONS } from "./permissions.js";
import { stageConfig } from "./stages.js";

/**
 * What the account may do with the key: administer it, never use it. PutKeyPolicy stays so the key
 * can never become unmanageable; CreateGrant is left out (nothing here uses grants, and a grant
 * would be a way to use the key past this policy).
 */
export const ADMIN_ACTIONS = [
  "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
  "kms:DisableKeyRotation", "kms:ListKeyRotations", "kms:RotateKeyOnDemand", "kms:EnableKey", "kms:DisableKey",
  "kms:UpdateKeyDescription", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
  "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
  "kms:ListGrants", "kms:RevokeGrant", "kms:RetireGrant",
  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
];

/**
 * The key that wraps TOTP secrets' keys, the branch key store whose branch keys it wraps, and the
 * custom resource that makes the first branch key at deploy time. Its policy lets the account
 * administer it and the branch key maker's role make branch keys, nothing more; Decrypt goes to the
 * roles of exactly the handlers permissions.ts grants it: for the branch key store's context
 * (`tablename` and `branch-key-id`: unwrapping the branch key the hierarchical keyring derives each
 * secret's key from) and for `purpose = totp` (secrets sealed before, by the plain KMS keyring). So
 * an administrator's `kms:*` in IAM decrypts neither a branch key nor a secret. The roles are named
 * by aws:PrincipalArn rather than as principals: KMS checks that principals exist, and these roles
 * come with the functions, after the key. Losing the key or the store loses every enrolled
 * authenticator, so `prod` retains both.
 */
export function Keys({ stack, app }: StackContext) {
  const config = stageConfig(stack.stage);
  const roleArnOf = (roleName: string) => stack.formatArn({ service: "iam", region: "", resource: "role", resourceName: roleName });
  const roleArn = (handler: string) => roleArnOf(keyUserRoleName(stack.stage, stack.region, handler));
  const contextOf = (grant: (typeof KEY_ACTIONS)[number]) =>
    grant === "kms:Decrypt@branch-keys" ? branchKeyContext(stack.stage) : { [`kms:EncryptionContext:${KEY_CONTEXT}`]: TOTP_SECRET_PURPOSE };
  const useStatements = KEY_ACTIONS.flatMap((grant) => {
    const users = keyUsers(grant);
    return users.length
      ? [new PolicyStatement({
        sid: grant === "kms:Decrypt@branch-keys" ? "UseDecryptBranchKey" : `Use${grant.replace("kms:", "")}`,
        principals: [new AccountRootPrincipal()],
        actions: [grant.replace(/@.*$/, "")],
        resources: ["*"],
        conditions: { StringEquals: contextOf(grant), ArnEquals: { "aws:PrincipalArn": users.map(roleArn) } },
      })]
      : [];
  });
  // Only the branch key maker's role, and only for the store's context: no other principal of the
  // account may re-wrap a branch key, even one IAM grants kms:ReEncrypt*.
  const makeBranchKeys = new PolicyStatement({
    sid: "MakeBranchKeys",
    principals: [new AccountRootPrincipal()],
    actions: [...BRANCH_KEY_KMS_ACTIONS],
    resources: ["*"],
    conditions: {
      StringEquals: { "kms:EncryptionContext:tablename": branchKeyTableName(stack.stage) },
      ArnEquals: { "aws:PrincipalArn": roleArnOf(branchKeyMakerRoleName(stack.stage, stack.region)) },
    },
  });
  const key = new Key(stack, "TotpSecretsKey", {
    description: "Wraps the data keys of TOTP secrets (twofactor)",
    enableKeyRotation: true,
    policy: new PolicyDocument({
      statements: [
        new PolicyStatement({ sid: "Administer", principals: [new AccountRootPrincipal()], actions: ADMIN_ACTIONS, resources: ["*"] }),
        ...useStatements,
        makeBranchKeys,
      ],
    }),
    alias: `alias/${app.logicalPrefixedName("totp-secrets")}`,
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const branchKeys = branchKeyTable(stack, config);
  addBranchKeyMaker(stack, { key, branchKeys, config });
  stack.addOutputs({ KeyArn: key.keyArn, BranchKeyTableName: branchKeys.tableName });
  return { key, branchKeys };
}
