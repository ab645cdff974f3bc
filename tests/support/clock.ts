import type { Clock } from "@twofactor/core";
import type { LocalRuntime } from "@twofactor/local";

export const TOTP_STEP_MS = 30_000;

/**
 * The clock of a test file: wall-clock time plus an offset that only grows. Every system a test
 * starts reads it (the Clock port) and the tests compute their codes from it, so the server and the
 * test agree on the instant, and `startFreshStep` puts each test at the first instant of a TOTP step:
 * no code can change step under a test that finishes within a step (30 s, the test timeout).
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves forward by `ms` for everything that reads this clock, requests already under way included. */
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }

  /** Moves forward (never back) to the first instant of the next 30 s step. */
  startFreshStep(): void {
    const now = this.now().getTime();
    this.offsetMs += Math.ceil(now / TOTP_STEP_MS) * TOTP_STEP_MS - now;
  }
}

/** The one clock of the test file (each file runs in its own module graph). */
export const testClock = new TestClock();

/** Moves the system's clock (the Clock port) forward; the test computes codes for the same instant. */
export function travel(system: LocalRuntime, ms: number): { now: () => Date; restore: () => void } {
  const deps = system.runtime.deps;
  const original = deps.clock;
  const now = () => new Date(original.now().getTime() + ms);
  deps.clock = { now };
  return { now, restore: () => { deps.clock = original; } };
}
