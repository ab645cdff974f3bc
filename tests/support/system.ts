import { afterAll, beforeAll, beforeEach } from "vitest";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "@twofactor/local";
import { client, type Client } from "./api.js";
import { testClock } from "./clock.js";
import { Contract } from "./contract.js";

/** Each test of the file starts at the first instant of a fresh TOTP step of the file's clock. */
export function freshStepForEachTest(): void {
  beforeEach(() => testClock.startFreshStep());
}

/** The whole local system on the test file's clock (dynalite, local key ring, local bus, HTTP server on a free port). */
export function startSystem(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  return startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, clock: testClock, ...options });
}

/** A client of a running system that checks every answer against the OpenAPI document the system serves. */
export async function connect(system: LocalRuntime): Promise<{ api: Client; contract: Contract }> {
  const contract = await Contract.of(system.url);
  return { api: client(system.url, contract), contract };
}

/**
 * Starts the whole local system for a test file, and stops it after; each test starts on a fresh
 * TOTP step of the file's clock. Returns a live handle filled in by beforeAll, whose client checks
 * every answer against the served OpenAPI document.
 */
export function useSystem(options: LocalRuntimeOptions = {}): { system: LocalRuntime; api: Client; contract: Contract } {
  const handle = {} as { system: LocalRuntime; api: Client; contract: Contract };
  freshStepForEachTest();
  beforeAll(async () => {
    handle.system = await startSystem(options);
    Object.assign(handle, await connect(handle.system));
  });
  afterAll(async () => {
    await handle.system?.stop();
  });
  return handle;
}
