import { RemovalPolicy } from "aws-cdk-lib";
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { StackContext } from "sst/constructs";
import { TOTP_SECRET_PURPOSE } from "@twofactor/core";
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
 * The key that wraps TOTP secrets (envelope encryption by the Encryption SDK). Its policy lets the
 * account administer it and nothing more; each use action goes to the roles of exactly the
 * handlers permissions.ts grants it (opening: Decrypt; sealing, enrollment only: GenerateDataKey),
 * and only for encryption context `purpose = totp`. So an administrator's `kms:*` in IAM does not
 * decrypt a secret. The roles are named by aws:PrincipalArn rather than as principals: KMS checks
 * that principals exist, and these roles come with the functions, after the key. Losing the key
 * loses every enrolled authenticator, so `prod` retains it.
 */
export function Keys({ stack, app }: StackContext) {
  const config = stageConfig(stack.stage);
  const roleArn = (handler: string) =>
    stack.formatArn({ service: "iam", region: "", resource: "role", resourceName: keyUserRoleName(stack.stage, stack.region, handler) });
  const useStatements = KEY_ACTIONS.flatMap((action) => {
    const users = keyUsers(action);
    return users.length
      ? [new PolicyStatement({
        sid: `Use${action.replace("kms:", "")}`,
        principals: [new AccountRootPrincipal()],
        actions: [action],
        resources: ["*"],
        conditions: {
          StringEquals: { [`kms:EncryptionContext:${KEY_CONTEXT}`]: TOTP_SECRET_PURPOSE },
          ArnEquals: { "aws:PrincipalArn": users.map(roleArn) },
        },
      })]
      : [];
  });
  const key = new Key(stack, "TotpSecretsKey", {
    description: "Wraps the data keys of TOTP secrets (twofactor)",
    enableKeyRotation: true,
    policy: new PolicyDocument({
      statements: [
        new PolicyStatement({ sid: "Administer", principals: [new AccountRootPrincipal()], actions: ADMIN_ACTIONS, resources: ["*"] }),
        ...useStatements,
      ],
    }),
    alias: `alias/${app.logicalPrefixedName("totp-secrets")}`,
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  stack.addOutputs({ KeyArn: key.keyArn });
  return { key };
}
