import type { Clock } from "@twofactor/core";

const wallClock: Clock = { now: () => new Date() };

/** What the composition root has built in this process (a Lambda container), by name. */
const parts = new Map<string, unknown>();
let currentClock = wallClock;

/** The part `name`, made on first use and kept until the next cold start. */
export function part<T>(name: string, make: () => T): T {
  if (!parts.has(name)) parts.set(name, make());
  return parts.get(name) as T;
}

/** Puts `value` in place of the part `name` (a test that observes each seal and open). */
export function replacePart(name: string, value: unknown): void {
  parts.set(name, value);
}

/** The Clock port every composed use case reads. */
export function clock(): Clock {
  return currentClock;
}

/** A new cold start in this process: every part is made anew on next use, reading `clock`. */
export function coldStart(next: Clock = wallClock): void {
  parts.clear();
  currentClock = next;
}
