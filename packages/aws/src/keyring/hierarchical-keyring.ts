import { BranchKeyStoreNode, KmsHierarchicalKeyRingNode, type KeyringNode } from "@aws-crypto/client-node";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KMSClient } from "@aws-sdk/client-kms";
import { watchFailures } from "../secret-vault.js";

/** The provider id the hierarchical keyring writes on each data key it wraps. */
export const HIERARCHY_PROVIDER_ID = "aws-kms-hierarchy";

/**
 * How long a warm function keeps an unwrapped branch key, and how many it keeps. Ten minutes: KMS is
 * asked about once per function instance per 10 min (a few thousandths of a request per verification
 * under steady traffic), while a disabled key or a revoked grant stops every instance within 10 min
 * and a new branch key version (`versionKey`) seals new secrets within 10 min. Sixteen entries: one
 * active branch key plus the versions secrets were sealed under (one per rotation), with room to spare;
 * each entry is 32 bytes of key and its context.
 */
export const BRANCH_KEY_CACHE = { ttlSeconds: 600, maxEntries: 16 } as const;

export interface BranchKeyStoreOptions {
  /** The branch key store's table; also its logical name, which every branch key's KMS context carries (`tablename`). */
  tableName: string;
  /** The KMS key that wraps the branch keys. */
  kmsKeyArn: string;
  kms: KMSClient;
  dynamodb: DynamoDBClient;
}

/** The branch key store (the library's DynamoDB schema), its clients' failures watched for the vault's 503s. */
export function branchKeyStore(options: BranchKeyStoreOptions): BranchKeyStoreNode {
  watchFailures(options.kms);
  watchFailures(options.dynamodb);
  return new BranchKeyStoreNode({
    logicalKeyStoreName: options.tableName,
    storage: { ddbTableName: options.tableName, ddbClient: options.dynamodb },
    keyManagement: { kmsClient: options.kms },
    kmsConfiguration: { identifier: options.kmsKeyArn },
  });
}

/**
 * The KMS hierarchical keyring over one branch key: each secret's data key is derived from the
 * branch key, which is read from the store (GetItem) and unwrapped by KMS (Decrypt) once per cache
 * period, not once per secret.
 */
export function hierarchicalKeyring(store: BranchKeyStoreNode, branchKeyId: string): KeyringNode {
  return new KmsHierarchicalKeyRingNode({
    keyStore: store,
    branchKeyId,
    cacheLimitTtl: BRANCH_KEY_CACHE.ttlSeconds,
    maxCacheSize: BRANCH_KEY_CACHE.maxEntries,
  });
}
