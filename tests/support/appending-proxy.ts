import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface AppendingProxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * A reverse proxy as deployed ones behave: it forwards each request to `target` and appends the
 * peer it saw to X-Forwarded-For, keeping whatever the client wrote there. Its own connections
 * leave from `ownAddress`, a network of its own, so that the server could not mistake them for a caller's.
 */
export async function startAppendingProxy(target: string, ownAddress = "127.0.2.1"): Promise<AppendingProxy> {
  const server = createServer((req, res) => {
    const peer = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const written = req.headers["x-forwarded-for"];
    const forwarded = request(`${target}${req.url ?? "/"}`, {
      method: req.method,
      localAddress: ownAddress,
      headers: { ...req.headers, "x-forwarded-for": written ? `${String(written)}, ${peer}` : peer },
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
