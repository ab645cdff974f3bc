import type { Server } from "node:http";

/**
 * Closes a local server as a stopping process would: idle keep-alive connections at once, and any
 * connection still busy after `graceMs` is cut (saying which server had one, so that a request that
 * never finishes shows). Without the cut, one stuck request would keep `stop()` waiting forever.
 */
export function closeServer(server: Server, name: string, graceMs = 5_000): Promise<void> {
  server.closeIdleConnections();
  const cut = setTimeout(() => {
    process.emitWarning(`${name}: connections still busy ${graceMs} ms into closing were cut`);
    server.closeAllConnections();
  }, graceMs);
  return new Promise((resolve) => server.close(() => { clearTimeout(cut); resolve(); }));
}
