import { request } from "node:http";

/**
 * A JSON request sent from a chosen loopback source address (127.0.0.1 and 127.0.1.1 are different
 * /24 networks), so tests can act as callers on different networks. fetch cannot choose its source.
 */
export function callFrom(
  localAddress: string,
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const payload = body === undefined ? "" : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      localAddress,
      headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers, "content-length": Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}
