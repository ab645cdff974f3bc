import type { Clock, Deps } from "@twofactor/core";
import { composeRuntime, type Runtime } from "./adapters.js";
import { readConfig } from "./config.js";

export type { Runtime } from "./adapters.js";

/**
 * The composition root: the one place that picks adapters (adapters.ts), from the configuration of
 * config.ts, once per distinct configuration — once per Lambda container.
 */
const runtimes = new Map<string, Runtime>();

let clock: Clock = { now: () => new Date() };

/**
 * The time every runtime composed in this process reads (the Clock port); the wall clock unless the
 * local runtime is given another (tests give theirs, so codes they compute match the server's now).
 */
export function setClock(next: Clock): void {
  clock = next;
  for (const runtime of runtimes.values()) runtime.deps.clock = next;
}

/** The runtime for the current environment. */
export async function getRuntime(): Promise<Runtime> {
  const config = readConfig();
  const id = JSON.stringify(config);
  let runtime = runtimes.get(id);
  if (!runtime) runtimes.set(id, (runtime = composeRuntime(config, clock)));
  return runtime;
}

export async function getDeps(): Promise<Deps> {
  return (await getRuntime()).deps;
}
