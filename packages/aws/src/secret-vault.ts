import {
  AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, RawAesKeyringNode, RawAesWrappingSuiteIdentifier,
  buildClient, type KeyringNode,
} from "@aws-crypto/client-node";
import type { EncryptionContext, SecretVault } from "@twofactor/core";

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/**
 * Key-committing AES-256-GCM without the ECDSA signature: the secret is only ever opened by this
 * service, so a signature adds nothing but ~10× the cost.
 */
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

/** Envelope encryption with the AWS Encryption SDK; the keyring decides KMS or a local key. */
export class EncryptionSdkVault implements SecretVault {
  constructor(private readonly keyring: KeyringNode) {}

  async seal(plaintext: Uint8Array, context: EncryptionContext): Promise<string> {
    const { result } = await encrypt(this.keyring, plaintext, { encryptionContext: { ...context }, suiteId: SUITE });
    return Buffer.from(result).toString("base64");
  }

  /** The SDK authenticates the context but does not compare it with ours: that is done here. */
  async open(sealed: string, context: EncryptionContext): Promise<Uint8Array> {
    const { plaintext, messageHeader } = await decrypt(this.keyring, Buffer.from(sealed, "base64"));
    const stored = messageHeader.encryptionContext;
    const mismatch = Object.entries(context).some(([key, value]) => stored[key] !== value);
    if (mismatch) throw new Error("Encryption context does not match the sealed secret.");
    return plaintext;
  }
}

export function kmsKeyring(keyArn: string): KeyringNode {
  return new KmsKeyringNode({ generatorKeyId: keyArn });
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
