import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which handler the current code runs for. On AWS each handler is its own function with its own
 * role; locally they share one process, so whatever observes calls (the permissions check records
 * each AWS call against the handler that made it) asks here.
 */
const invocations = new AsyncLocalStorage<{ handler: string }>();
const observers = new Set<(handler: string) => void>();

export function runAs<T>(handler: string, run: () => Promise<T>): Promise<T> {
  for (const observe of observers) observe(handler);
  return invocations.run({ handler }, run);
}

export function currentHandler(): string | undefined {
  return invocations.getStore()?.handler;
}

/** Calls `observe` with the handler of every invocation from now on; answers the function that stops it. */
export function observeInvocations(observe: (handler: string) => void): () => void {
  observers.add(observe);
  return () => observers.delete(observe);
}
