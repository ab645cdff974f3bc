import { RemovalPolicy } from "aws-cdk-lib";
import { Key } from "aws-cdk-lib/aws-kms";
import type { StackContext } from "sst/constructs";
import { stageConfig } from "./stages.js";

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
    alias: `alias/${app.logicalPrefixedName("totp-secrets")}`,
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  stack.addOutputs({ KeyArn: key.keyArn });
  return { key };
}
