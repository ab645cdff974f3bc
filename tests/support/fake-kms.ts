import { request, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A KMS that fails on demand: a proxy on loopback in front of a real KMS endpoint (the local
 * runtime's), so that the real SDK clients, branch key store and keyrings run unchanged
 * (`KMS_ENDPOINT`). Healthy, it forwards every request; `fail()` makes it answer as KMS does when it
 * is throttled, failing or the key unusable, or drop connections.
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
  endpoint: string;
  /** Requests received, by operation (Decrypt, GenerateDataKey, …), failed ones included. */
  calls: Record<string, number>;
  /** Where a healthy proxy sends requests: the runtime's own KMS endpoint, known once it has started. */
  forwardTo(upstream: string): void;
  fail(failure: KmsFailure): void;
  heal(): void;
  stop(): Promise<void>;
}

export async function startFakeKms(): Promise<FakeKms> {
  let failure: KmsFailure | undefined;
  let upstream: string | undefined;
  const calls: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const operation = String(req.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
      calls[operation] = (calls[operation] ?? 0) + 1;
      if (failure === "connection_reset") return req.socket.destroy();
      if (failure) {
        const { status, type } = FAILURES[failure];
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type });
        return res.end(JSON.stringify({ __type: type, message: `fake KMS: ${failure}` }));
      }
      if (!upstream) return req.socket.destroy();
      const forwarded = request(`${upstream}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on("error", () => req.socket.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    forwardTo: (next) => { upstream = next; },
    fail: (next) => { failure = next; },
    heal: () => { failure = undefined; },
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
