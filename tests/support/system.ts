import { afterAll, beforeAll } from "vitest";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "@twofactor/local";
import { client, type Client } from "./api.js";

/**
 * Starts the whole local system (dynalite, local key ring, local bus, HTTP server on a free port)
 * for a test file, and stops it after. Returns a live handle filled in by beforeAll.
 */
export function useSystem(options: LocalRuntimeOptions = {}): { system: LocalRuntime; api: Client } {
  const handle = {} as { system: LocalRuntime; api: Client };
  beforeAll(async () => {
    handle.system = await startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, ...options });
    handle.api = client(handle.system.url);
  });
  afterAll(async () => {
    await handle.system?.stop();
  });
  return handle;
}
