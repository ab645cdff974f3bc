import { AsyncLocalStorage } from "node:async_hooks";
// The Encryption SDK's member packages, not its `client-node` barrel: they ship ES modules, which
// esbuild tree-shakes; the barrel is CommonJS and would bring the whole SDK into each vault route.
import { buildDecrypt } from "@aws-crypto/decrypt-node";
import { buildEncrypt } from "@aws-crypto/encrypt-node";
import { KMS, KmsKeyringNode, type KmsKeyringNodeInput } from "@aws-crypto/kms-keyring-node";
import { AlgorithmSuiteIdentifier, CommitmentPolicy, MultiKeyringNode, type KeyringNode } from "@aws-crypto/material-management-node";
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from "@aws-crypto/raw-aes-keyring-node";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KMSClient } from "@aws-sdk/client-kms";
import { DependencyUnavailableError, type EncryptionContext, type SecretVault } from "@twofactor/core";
import { isUnavailable as isStoreUnavailable } from "./dynamo/table.js";

const { encrypt } = buildEncrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const { decrypt } = buildDecrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/**
 * Key-committing AES-256-GCM without the ECDSA signature: the secret is only ever opened by this
 * service, so a signature adds nothing but ~10× the cost.
 */
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

/**
 * Failures that mean KMS is down, slow or refusing for now — not that the secret or the request is
 * wrong: throttling, KMS's own errors (5xx, `KMSInternalException`, `DependencyTimeoutException`), a
 * key that cannot be used at the moment (`KeyUnavailableException`, `DisabledException`,
 * `KMSInvalidStateException`: disabled, pending deletion or import), and the network (refused, reset,
 * timed out, no DNS). A missing permission or key (`AccessDeniedException`, `NotFoundException`,
 * `InvalidKeyUsageException`) is a configuration error and a corrupt or foreign ciphertext
 * (`InvalidCiphertextException`, `IncorrectKeyException`) a genuine one: those stay errors (500).
 */
const KMS_UNAVAILABLE = new Set([
  "ThrottlingException", "KMSInternalException", "DependencyTimeoutException", "KeyUnavailableException", "DisabledException",
  "KMSInvalidStateException", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "InternalServerError",
  "TimeoutError", "RequestTimeout", "RequestTimeoutException",
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED",
]);

export function isKmsUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } } | undefined;
  return KMS_UNAVAILABLE.has(e?.name ?? "") || KMS_UNAVAILABLE.has(e?.code ?? "")
    || (e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.$retryable?.throttling === true;
}

/**
 * The KMS (and branch key store) calls' failures of the vault operation under way. The Encryption
 * SDK folds a failed KMS `Decrypt` into one generic error message; this keeps the originals, per
 * operation (requests run concurrently on the local server), so that an outage can be told from a
 * bad ciphertext.
 */
const kmsFailures = new AsyncLocalStorage<unknown[]>();

/** Records a failure for the vault operation under way (one that another operation's call met for it). */
export function recordFailure(error: unknown): void {
  kmsFailures.getStore()?.push(error);
}

/**
 * Envelope encryption with the AWS Encryption SDK; the keyring decides KMS, the hierarchical keyring
 * or a local key. Secrets are sealed with `keyring` alone; `olderKeyrings` only open what was sealed
 * before it (a multi-keyring's children would also wrap every new data key, one more KMS call per seal).
 */
export class EncryptionSdkVault implements SecretVault {
  private readonly opener: KeyringNode;
  /** The provider of the data keys `keyring` makes (e.g. `aws-kms-hierarchy`): a secret without one is due to be resealed. */
  private readonly providerId: string | undefined;

  constructor(private readonly keyring: KeyringNode, options: { olderKeyrings?: KeyringNode[]; providerId?: string } = {}) {
    const older = options.olderKeyrings ?? [];
    this.opener = older.length ? new MultiKeyringNode({ generator: keyring, children: older }) : keyring;
    this.providerId = options.providerId;
  }

  async seal(plaintext: Uint8Array, context: EncryptionContext): Promise<string> {
    const { result } = await guarded(() => encrypt(this.keyring, plaintext, { encryptionContext: { ...context }, suiteId: SUITE }));
    return Buffer.from(result).toString("base64");
  }

  async open(sealed: string, context: EncryptionContext): Promise<Uint8Array> {
    return (await this.openAndAge(sealed, context)).plaintext;
  }

  /**
   * Opens, and says whether the secret was sealed by an older keyring (so the reseal script seals
   * it anew). The SDK authenticates the context but does not compare it with ours: that is done here.
   */
  async openAndAge(sealed: string, context: EncryptionContext): Promise<{ plaintext: Uint8Array; sealedByOlderKeyring: boolean }> {
    const { plaintext, messageHeader } = await guarded(() => decrypt(this.opener, Buffer.from(sealed, "base64")));
    const stored = messageHeader.encryptionContext;
    const mismatch = Object.entries(context).some(([key, value]) => stored[key] !== value);
    if (mismatch) throw new Error("Encryption context does not match the sealed secret.");
    const current = this.providerId === undefined || messageHeader.encryptedDataKeys.some((key) => key.providerId === this.providerId);
    return { plaintext, sealedByOlderKeyring: !current };
  }
}

/**
 * Records the failures of an SDK client's calls (after its retries) for the vault operation under way,
 * for clients the Encryption SDK calls directly (the branch key store's KMS and DynamoDB clients).
 */
export function watchFailures(client: Pick<KMSClient, "middlewareStack"> | Pick<DynamoDBClient, "middlewareStack">): void {
  (client as Pick<KMSClient, "middlewareStack">).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        kmsFailures.getStore()?.push(error);
        throw error;
      }
    },
    { step: "initialize", name: "vaultFailureRecorder" },
  );
}

/** Runs one SDK operation; if KMS was unavailable during it, that is what it failed with (503, nothing written). */
async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  const failures: unknown[] = [];
  try {
    return await kmsFailures.run(failures, operation);
  } catch (error) {
    if ([error, ...failures].some((e) => isKmsUnavailable(e) || isStoreUnavailable(e))) {
      throw new DependencyUnavailableError("The key service is unavailable.", { cause: failures[0] ?? error });
    }
    throw error;
  }
}

type KmsClient = ReturnType<NonNullable<KmsKeyringNodeInput["clientProvider"]>>;

/**
 * A KMS key ring for `keyArn`. `client` defaults to a KMS client of the key's region (`endpoint`
 * overrides where it is reached, for tests and emulators); its failures are recorded for `guarded`.
 */
export function kmsKeyring(keyArn: string, options: { client?: KMS; endpoint?: string } = {}): KeyringNode {
  const region = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(keyArn)?.[1];
  const client = options.client ?? new KMS({ ...(region ? { region } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  const watch = async <R>(call: Promise<R>): Promise<R> => {
    try {
      return await call;
    } catch (error) {
      kmsFailures.getStore()?.push(error);
      throw error;
    }
  };
  const watched = {
    generateDataKey: (input: Parameters<KMS["generateDataKey"]>[0]) => watch(client.generateDataKey(input)),
    encrypt: (input: Parameters<KMS["encrypt"]>[0]) => watch(client.encrypt(input)),
    decrypt: (input: Parameters<KMS["decrypt"]>[0]) => watch(client.decrypt(input)),
  } as unknown as KmsClient;
  return new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => watched });
}

/** A raw AES-256 key held by the caller (the local runtime's key file) instead of KMS. */
export function rawAesKeyring(key: Uint8Array): KeyringNode {
  return new RawAesKeyringNode({
    keyName: "totp-secrets",
    keyNamespace: "twofactor-local",
    unencryptedMasterKey: new Uint8Array(key), // the SDK wants a buffer of its own, not a view into a pool
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
}
