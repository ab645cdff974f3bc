import { connect, createServer, type AddressInfo, type Socket } from "node:net";

export interface CuttableProxy {
  endpoint: string;
  /** Drops every open connection and resets every new one, as a store that went away would. */
  cut(): void;
  /** Forwards again. */
  mend(): void;
  stop(): Promise<void>;
}

/**
 * A TCP forwarder on loopback in front of `target` (an http://host:port endpoint) whose line can be
 * cut and mended while the system under test keeps its configuration: the composition root reads its
 * endpoints once per cold start, so a test makes a dependency fail here, not by changing the environment.
 */
export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return void client.resetAndDestroy();
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    mend() { down = false; },
    stop: () => new Promise((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
