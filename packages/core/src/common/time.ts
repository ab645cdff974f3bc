import { setTimeout as sleep } from "node:timers/promises";

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** Whole seconds from `now` until `later`, at least 1 (for Retry-After). */
export function secondsUntil(later: Date, now: Date): number {
  return Math.max(1, Math.ceil((later.getTime() - now.getTime()) / 1000));
}

/** Waits until `minMs` have passed since `startedAt` (a performance.now() reading). */
export async function notBefore(startedAt: number, minMs: number): Promise<void> {
  const left = startedAt + minMs - performance.now();
  if (left > 0) await sleep(left);
}
