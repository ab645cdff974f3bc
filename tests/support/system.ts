import { afterAll, beforeAll, beforeEach } from "vitest";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "@twofactor/local";
import { client, type Client } from "./api.js";
import { testClock } from "./clock.js";

/** Each test of the file starts at the first instant of a fresh TOTP step of the file's clock. */
export function freshStepForEachTest(): void {
  beforeEach(() => testClock.startFreshStep());
}

/** The whole local system on the test file's clock (dynalite, local key ring, local bus, HTTP server on a free port). */
export function startSystem(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  return startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, clock: testClock, ...options });
}

/**
 * Starts the whole local system for a test file, and stops it after; each test starts on a fresh
 * TOTP step of the file's clock. Returns a live handle filled in by beforeAll.
 */
export function useSystem(options: LocalRuntimeOptions = {}): { system: LocalRuntime; api: Client } {
  const handle = {} as { system: LocalRuntime; api: Client };
  freshStepForEachTest();
  beforeAll(async () => {
    handle.system = await startSystem(options);
    handle.api = client(handle.system.url);
  });
  afterAll(async () => {
    await handle.system?.stop();
  });
  return handle;
}
