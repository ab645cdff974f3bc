import { useState } from "preact/hooks";
import { ApiError } from "./api.js";
import { useConsole } from "./context.js";

export interface Action {
  busy: boolean;
  error: ApiError | null;
  /** Runs one API action: the reauthentication prompt and a retry on `reauthentication_required`, errors kept for display. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const app = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function attempt<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.code !== "reauthentication_required") throw failure;
      if (!(await app.reauthenticate())) throw failure;
      return work();
    }
  }

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await attempt(work);
    } catch (failure) {
      const problem = failure instanceof ApiError ? failure : new ApiError(0, "client_error", (failure as Error).message);
      if (problem.code === "unauthenticated" && app.user) app.signedOut("Your session has ended. Sign in again.");
      else if (problem.code === "two_factor_setup_required") await app.refreshUser();
      else setError(problem);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run, clear: () => setError(null) };
}
