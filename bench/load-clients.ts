/**
 * The load benchmark's clients, in a worker thread of their own: the embedded runtime runs the
 * server, the handlers and dynalite on the main thread, and clients are not part of the system
 * measured (on AWS they are other machines). Posts back each request's latency and the wall time.
 */
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { totpCode } from "../tests/support/authenticator.js";

/** One request: its path and body, or a TOTP code computed when it is sent (at the system clock's instant). */
export interface ClientRequest {
  path: string;
  body: Record<string, unknown>;
  totp?: { secret: string; clockOffsetMs: number };
  status: number;
}

export interface ClientRun {
  url: string;
  concurrency: number;
  requests: ClientRequest[];
}

export type ClientResult = { latencies: number[]; seconds: number } | { error: string };

async function run({ url, concurrency, requests }: ClientRun): Promise<ClientResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const body = request.totp
        ? { ...request.body, code: totpCode(request.totp.secret, new Date(Date.now() + request.totp.clockOffsetMs)) }
        : request.body;
      const begun = performance.now();
      const res = await fetch(url + request.path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const text = await res.text();
      latencies.push(performance.now() - begun);
      if (res.status !== request.status) throw new Error(`${request.path}: ${res.status} ${text}`);
    }
  }));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as ClientRun).then(
    (result) => port.postMessage(result),
    (error: Error) => port.postMessage({ error: error.message } satisfies ClientResult),
  );
}
