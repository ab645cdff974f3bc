import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import {
  EncryptionSdkVault, HIERARCHY_PROVIDER_ID, branchKeyStore, hierarchicalKeyring, kmsKeyring, rawAesKeyring,
} from "@twofactor/aws";
import type { RuntimeConfig } from "./config.js";

/**
 * The secret vault for a configuration. With a branch key store (on AWS and locally): the KMS
 * hierarchical keyring seals, and secrets sealed before it (by the plain KMS keyring on AWS, by the
 * local key file's raw AES keyring locally) still open. Without one: the plain KMS keyring, or the
 * key file alone.
 */
export function vaultFor(config: RuntimeConfig): EncryptionSdkVault {
  const keyFile = config.LOCAL_KEY_FILE ? [rawAesKeyring(readFileSync(config.LOCAL_KEY_FILE))] : [];
  if (!config.KMS_KEY_ARN) return new EncryptionSdkVault(keyFile[0]!);
  const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
  const plainKms = kmsKeyring(config.KMS_KEY_ARN, endpoint(config.KMS_ENDPOINT));
  if (!config.BRANCH_KEY_TABLE_NAME) return new EncryptionSdkVault(plainKms, { olderKeyrings: keyFile });

  const region = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(config.KMS_KEY_ARN)?.[1];
  const store = branchKeyStore({
    tableName: config.BRANCH_KEY_TABLE_NAME,
    kmsKeyArn: config.KMS_KEY_ARN,
    kms: new KMSClient({ ...(region ? { region } : {}), ...endpoint(config.KMS_ENDPOINT) }),
    dynamodb: new DynamoDBClient(endpoint(config.DYNAMODB_ENDPOINT)),
  });
  return new EncryptionSdkVault(hierarchicalKeyring(store, config.BRANCH_KEY_ID), {
    olderKeyrings: [plainKms, ...keyFile],
    providerId: HIERARCHY_PROVIDER_ID,
  });
}
