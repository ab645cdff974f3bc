import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { closeServer } from "./close-server.js";

describe("closeServer", () => {
  it("cuts a connection whose request never finishes once its grace is over, and the caller sees the cut", async () => {
    const server = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const answer = new Promise<string>((resolve) => {
      const req = request({ port, host: "127.0.0.1", path: "/" }, () => resolve("answered"));
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the request has arrived
    await closeServer(server, "test server", 50);
    expect(await answer).toBe("ECONNRESET");
  });
});
