import { BranchKeyStoreNode } from "@aws-crypto/branch-keystore-node";
import { getLocalCryptographicMaterialsCache } from "@aws-crypto/caching-materials-manager-node";
import { KmsHierarchicalKeyRingNode, type KmsHierarchicalKeyRingNodeInput } from "@aws-crypto/kms-keyring-node";
import type { KeyringNode, NodeAlgorithmSuite } from "@aws-crypto/material-management-node";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KMSClient } from "@aws-sdk/client-kms";
import { recordFailure, watchFailures } from "../secret-vault.js";

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

/**
 * The branch key store (the library's DynamoDB schema), its clients' failures watched for the
 * vault's 503s. Requests that need a branch key the keyring has not cached yet share one read of it:
 * the keyring's cache fills only once the read is done, so without this a burst of requests on a cold
 * instance (the local server serves them concurrently) would each ask KMS.
 */
export function branchKeyStore(options: BranchKeyStoreOptions): BranchKeyStoreNode {
  watchFailures(options.kms);
  watchFailures(options.dynamodb);
  return new SharedReadsBranchKeyStore({
    logicalKeyStoreName: options.tableName,
    storage: { ddbTableName: options.tableName, ddbClient: options.dynamodb },
    keyManagement: { kmsClient: options.kms },
    kmsConfiguration: { identifier: options.kmsKeyArn },
  });
}

type NodeBranchKeyMaterial = Awaited<ReturnType<BranchKeyStoreNode["getActiveBranchKey"]>>;

class SharedReadsBranchKeyStore extends BranchKeyStoreNode {
  override getActiveBranchKey(branchKeyId: string): Promise<NodeBranchKeyMaterial> {
    return shared(this, `active:${branchKeyId}`, () => super.getActiveBranchKey(branchKeyId));
  }

  override getBranchKeyVersion(branchKeyId: string, branchKeyVersion: string): Promise<NodeBranchKeyMaterial> {
    return shared(this, `version:${branchKeyId}:${branchKeyVersion}`, () => super.getBranchKeyVersion(branchKeyId, branchKeyVersion));
  }
}

/** Reads under way, per store (the library freezes the store, so they are kept beside it). */
const readsUnderWay = new WeakMap<object, Map<string, Promise<NodeBranchKeyMaterial>>>();

function shared(store: object, key: string, read: () => Promise<NodeBranchKeyMaterial>): Promise<NodeBranchKeyMaterial> {
  let reads = readsUnderWay.get(store);
  if (!reads) readsUnderWay.set(store, (reads = new Map()));
  const underWay = reads.get(key);
  // A joiner's vault operation must see the read's failure too, to tell an outage (503) from a bad secret.
  if (underWay) return underWay.catch((error: unknown) => { recordFailure(error); throw error; });
  const started = read().finally(() => reads.delete(key));
  reads.set(key, started);
  return started;
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
    cache: copyingCache(BRANCH_KEY_CACHE.maxEntries),
  });
}

type MaterialsCache = NonNullable<KmsHierarchicalKeyRingNodeInput["cache"]>;
type BranchKeyEntry = Exclude<ReturnType<MaterialsCache["getBranchKeyMaterial"]>, false>;

/**
 * The library's local cache, holding copies of branch keys and handing out copies. The cache zeroes
 * a branch key when its entry is replaced or expires; on a concurrent server (the local one) another
 * request may still be deriving a data key from that very key (two cold reads finishing together, or
 * an expiry under way), which then fails as a corrupt secret. Copies keep the zeroing to the cache's
 * own; the copies handed out are dropped with the request.
 */
function copyingCache(capacity: number): MaterialsCache {
  const cache = getLocalCryptographicMaterialsCache<NodeAlgorithmSuite>(capacity);
  const copy = (material: NodeBranchKeyMaterial): NodeBranchKeyMaterial => {
    const Material = material.constructor as new (key: Buffer, id: string, version: string, context: Record<string, string>) => NodeBranchKeyMaterial;
    return new Material(material.branchKey(), material.branchKeyIdentifier, material.branchKeyVersion.toString("utf8"), { ...material.encryptionContext });
  };
  return {
    ...cache,
    putBranchKeyMaterial: (key, material, maxAge) => cache.putBranchKeyMaterial(key, copy(material), maxAge),
    getBranchKeyMaterial: (key) => {
      const entry = cache.getBranchKeyMaterial(key);
      return entry && ({ ...entry, response: copy(entry.response) } as BranchKeyEntry);
    },
  };
}
