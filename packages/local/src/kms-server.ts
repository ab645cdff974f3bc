import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JSON_1_1_ERRORS, SignatureCheck, signedOnly, type LocalCredentials } from "./sigv4-guard.js";

/**
 * KMS on loopback for the embedded runtime, as the local bus is EventBridge: the real SDK clients
 * (the branch key store's, the KMS key ring's) speak KMS's JSON protocol to it (`X-Amz-Target:
 * TrentService.<Op>`, `application/x-amz-json-1.1`) at `KMS_ENDPOINT`. One symmetric key, `keyArn`,
 * backed by a 32-byte master key from the data folder.
 *
 * Ciphertexts are this server's own format (they only need to round-trip here): a version byte,
 * a 12-byte IV, AES-256-GCM's 16-byte tag and the ciphertext, with the key ARN and the encryption
 * context (sorted) as additional data, so a ciphertext opens under its exact context only, as in KMS.
 * It answers only requests signed with the runtime's credentials.
 */
export interface LocalKms {
  endpoint: string;
  keyArn: string;
  /** Signed requests received, by operation (Decrypt, GenerateDataKeyWithoutPlaintext, …), those it then refused included. */
  requests: Record<string, number>;
  stop(): Promise<void>;
}

type Context = Record<string, string> | undefined;
type Input = Record<string, unknown>;
class KmsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

const VERSION = 1;

export async function startLocalKms(options: { masterKey: Uint8Array; region: string; credentials: LocalCredentials }): Promise<LocalKms> {
  const keyArn = `arn:aws:kms:${options.region}:000000000000:key/00000000-0000-4000-8000-00000000c0de`;
  const masterKey = Buffer.from(options.masterKey);
  const requests: Record<string, number> = {};

  const additionalData = (context: Context) =>
    Buffer.from(JSON.stringify([keyArn, Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));
  const seal = (plaintext: Buffer, context: Context) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", masterKey, iv).setAAD(additionalData(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
  };
  const open = (blob: Buffer, context: Context) => {
    if (blob.length < 29 || blob[0] !== VERSION) throw new KmsError("InvalidCiphertextException", "not a ciphertext of this key");
    try {
      const decipher = createDecipheriv("aes-256-gcm", masterKey, blob.subarray(1, 13)).setAAD(additionalData(context));
      decipher.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
    } catch {
      throw new KmsError("InvalidCiphertextException", "the ciphertext or its encryption context does not match");
    }
  };
  const ourKey = (keyId: unknown) => {
    if (keyId !== undefined && keyId !== keyArn) throw new KmsError("NotFoundException", `Key '${String(keyId)}' does not exist`);
  };
  const bytes = (value: unknown) => Buffer.from(String(value ?? ""), "base64");
  const dataKeySize = (input: Input) => {
    const size = Number(input.NumberOfBytes ?? (input.KeySpec === "AES_128" ? 16 : 32));
    if (!Number.isInteger(size) || size < 1 || size > 1024) throw new KmsError("ValidationException", "NumberOfBytes must be 1–1024");
    return size;
  };

  const operations: Record<string, (input: Input) => Record<string, unknown>> = {
    Encrypt: (input) => {
      ourKey(input.KeyId);
      return { KeyId: keyArn, CiphertextBlob: seal(bytes(input.Plaintext), input.EncryptionContext as Context).toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    },
    Decrypt: (input) => {
      ourKey(input.KeyId);
      const plaintext = open(bytes(input.CiphertextBlob), input.EncryptionContext as Context);
      return { KeyId: keyArn, Plaintext: plaintext.toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    },
    GenerateDataKey: (input) => {
      ourKey(input.KeyId);
      const key = randomBytes(dataKeySize(input));
      return { KeyId: keyArn, Plaintext: key.toString("base64"), CiphertextBlob: seal(key, input.EncryptionContext as Context).toString("base64") };
    },
    GenerateDataKeyWithoutPlaintext: (input) => {
      ourKey(input.KeyId);
      return { KeyId: keyArn, CiphertextBlob: seal(randomBytes(dataKeySize(input)), input.EncryptionContext as Context).toString("base64") };
    },
    ReEncrypt: (input) => {
      ourKey(input.SourceKeyId);
      ourKey(input.DestinationKeyId);
      const plaintext = open(bytes(input.CiphertextBlob), input.SourceEncryptionContext as Context);
      return { SourceKeyId: keyArn, KeyId: keyArn, CiphertextBlob: seal(plaintext, input.DestinationEncryptionContext as Context).toString("base64") };
    },
  };

  const server: Server = createServer(signedOnly(new SignatureCheck(options.credentials, "kms"), JSON_1_1_ERRORS, (req, res, body) => {
    const operation = String(req.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
    requests[operation] = (requests[operation] ?? 0) + 1;
    const reply = (status: number, answer: unknown, type?: string) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...(type ? { "x-amzn-errortype": type } : {}) });
      res.end(JSON.stringify(answer));
    };
    try {
      const handle = operations[operation];
      if (!handle) throw new KmsError("UnsupportedOperationException", `${operation} is not offered by the local KMS`);
      reply(200, handle(JSON.parse(body.toString("utf8") || "{}") as Input));
    } catch (error) {
      const type = error instanceof KmsError ? error.type : "ValidationException";
      reply(400, { __type: type, message: (error as Error).message }, type);
    }
  }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keyArn,
    requests,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
