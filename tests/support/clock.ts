import type { LocalRuntime } from "@twofactor/local";

/** Moves the system's clock (the Clock port) forward; the test computes codes for the same instant. */
export function travel(system: LocalRuntime, ms: number): { now: () => Date; restore: () => void } {
  const deps = system.runtime.deps;
  const original = deps.clock;
  const now = () => new Date(Date.now() + ms);
  deps.clock = { now };
  return { now, restore: () => { deps.clock = original; } };
}
