import { useRef, useState } from "preact/hooks";
import { ApiError } from "./api.js";
import { useConsole } from "./context.js";
import { asProblem } from "./messages.js";

export interface Action {
  busy: boolean;
  error: ApiError | null;
  /**
   * Runs one change: the reauthentication prompt and a retry on `reauthentication_required`, errors
   * kept for display. A second run while one is under way (a double click) is ignored: the buttons
   * say `aria-disabled` rather than `disabled`, which would throw their keyboard focus away.
   */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  /** Runs one read, as `run` does, but never ignored: a read asked for again answers what is there now. */
  read<T>(work: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const app = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef(0);

  async function attempt<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.code !== "reauthentication_required") throw failure;
      if (!(await app.reauthenticate())) throw failure;
      return work();
    }
  }

  async function read<T>(work: () => Promise<T>): Promise<T | undefined> {
    running.current++;
    setBusy(true);
    setError(null);
    try {
      return await attempt(work);
    } catch (failure) {
      const problem = asProblem(failure);
      // Refusals caused elsewhere (the session ended, a team now holds this user) change the whole page, not this card.
      if (problem.code === "unauthenticated" && app.user) app.sessionEnded();
      else if (problem.code === "two_factor_setup_required") await app.refreshUser();
      else setError(problem);
      return undefined;
    } finally {
      if (--running.current === 0) setBusy(false);
    }
  }

  const run = <T>(work: () => Promise<T>) => (running.current > 0 ? Promise.resolve(undefined) : read(work));

  return { busy, error, run, read, clear: () => setError(null) };
}
