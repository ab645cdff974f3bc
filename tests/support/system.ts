import { afterAll, beforeAll, beforeEach } from "vitest";
import { argon2idHasher } from "@twofactor/functions/password-hasher";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "@twofactor/local";
import { client, type Client } from "./api.js";
import { testClock } from "./clock.js";
import { Contract } from "./contract.js";
import { startCuttableProxy, type CuttableProxy } from "./cuttable-proxy.js";

/** Each test of the file starts at the first instant of a fresh TOTP step of the file's clock. */
export function freshStepForEachTest(): void {
  beforeEach(() => testClock.startFreshStep());
}

/**
 * argon2id at 1 MiB and one pass instead of OWASP's 19 MiB and two: the same library, code path and
 * hash format, about 1/40 of the CPU time per hash. The suite hashes or checks a password about 900
 * times, which at OWASP's cost took some 20 s of CPU. What is deployed keeps OWASP's parameters
 * (functions/password-hasher.test.ts), and so do the server processes and bundles some tests run.
 */
export const testPasswordHasher = argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** The whole local system on the test file's clock (dynalite, local key ring, local bus, HTTP server on a free port). */
export function startSystem(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  return startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, clock: testClock, passwordHasher: testPasswordHasher, ...options });
}

/** A client of a running system that checks every answer against the OpenAPI document the system serves. */
export async function connect(system: LocalRuntime): Promise<{ api: Client; contract: Contract }> {
  const contract = await Contract.of(system.url);
  return { api: client(system.url, contract), contract };
}

/**
 * Starts the whole local system for a test file, and stops it after; each test starts on a fresh
 * TOTP step of the file's clock. Returns a live handle filled in by beforeAll, whose client checks
 * every answer against the served OpenAPI document. With `cuttableStore`, the system reaches its
 * store through `storeLine`, which a test cuts to take the store away
 * and mends to bring it back: the configuration is read once per start, so the line is where it fails.
 */
export function useSystem(
  options: LocalRuntimeOptions = {},
  { cuttableStore = false } = {},
): { system: LocalRuntime; api: Client; contract: Contract; storeLine: CuttableProxy } {
  const handle = {} as { system: LocalRuntime; api: Client; contract: Contract; storeLine: CuttableProxy };
  freshStepForEachTest();
  beforeAll(async () => {
    handle.system = await startSystem(options);
    if (cuttableStore) {
      // The line runs to the runtime's own store (its stream goes on feeding the relay); the functions
      // start cold to read the line's endpoint (the runtime puts the environment back when it stops).
      handle.storeLine = await startCuttableProxy(process.env.DYNAMODB_ENDPOINT!);
      process.env.DYNAMODB_ENDPOINT = handle.storeLine.endpoint;
      handle.system.coldStart();
    }
    Object.assign(handle, await connect(handle.system));
  });
  afterAll(async () => {
    await handle.system?.stop();
    await handle.storeLine?.stop();
  });
  return handle;
}
