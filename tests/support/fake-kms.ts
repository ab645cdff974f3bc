import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for KMS on loopback, speaking its JSON protocol (`X-Amz-Target: TrentService.*`) for the
 * three calls the Encryption SDK makes, so that the real KMS key ring and SDK client run unchanged
 * (`KMS_KEY_ARN` + `KMS_ENDPOINT`). A data key is "wrapped" as JSON with its encryption context, which
 * Decrypt checks as KMS does: this is no encryption, only a test's KMS. `fail()` makes it answer as
 * KMS does when it is throttled, failing or the key unusable, or drop connections.
 */
export type KmsFailure = "throttling" | "internal" | "dependency_timeout" | "key_unavailable" | "disabled" | "pending_deletion" | "connection_reset";

const FAILURES: Record<Exclude<KmsFailure, "connection_reset">, { status: number; type: string }> = {
  throttling: { status: 400, type: "ThrottlingException" },
  internal: { status: 500, type: "KMSInternalException" },
  dependency_timeout: { status: 503, type: "DependencyTimeoutException" },
  key_unavailable: { status: 500, type: "KeyUnavailableException" },
  disabled: { status: 400, type: "DisabledException" },
  pending_deletion: { status: 400, type: "KMSInvalidStateException" },
};

export interface FakeKms {
  keyArn: string;
  endpoint: string;
  /** Calls answered, by operation (GenerateDataKey, Decrypt, …), failed ones included. */
  calls: Record<string, number>;
  fail(failure: KmsFailure): void;
  heal(): void;
  stop(): Promise<void>;
}

export async function startFakeKms(): Promise<FakeKms> {
  const keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  let failure: KmsFailure | undefined;
  const calls: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const operation = String(req.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
      calls[operation] = (calls[operation] ?? 0) + 1;
      const reply = (status: number, body: unknown, type?: string) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...(type ? { "x-amzn-errortype": type } : {}) });
        res.end(JSON.stringify(body));
      };
      if (failure === "connection_reset") return req.socket.destroy();
      if (failure) return reply(FAILURES[failure].status, { __type: FAILURES[failure].type, message: `fake KMS: ${failure}` }, FAILURES[failure].type);
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, any>;
      const wrap = (key: Buffer) => Buffer.from(JSON.stringify({ key: key.toString("base64"), context: input.EncryptionContext ?? {} })).toString("base64");
      switch (operation) {
        case "GenerateDataKey": {
          const key = randomBytes(input.NumberOfBytes ?? 32);
          return reply(200, { KeyId: keyArn, Plaintext: key.toString("base64"), CiphertextBlob: wrap(key) });
        }
        case "Encrypt":
          return reply(200, { KeyId: keyArn, CiphertextBlob: wrap(Buffer.from(input.Plaintext, "base64")) });
        case "Decrypt": {
          const wrapped = JSON.parse(Buffer.from(input.CiphertextBlob, "base64").toString("utf8"));
          if (JSON.stringify(wrapped.context) !== JSON.stringify(input.EncryptionContext ?? {})) {
            return reply(400, { __type: "InvalidCiphertextException", message: "fake KMS: context" }, "InvalidCiphertextException");
          }
          return reply(200, { KeyId: keyArn, Plaintext: wrapped.key, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
        }
        default:
          return reply(400, { __type: "UnsupportedOperationException", message: operation }, "UnsupportedOperationException");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    keyArn,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    fail: (next) => { failure = next; },
    heal: () => { failure = undefined; },
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
