import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * A maker of data folders for the tests of a file that restart a system on the same data (a crash,
 * a restart): each folder is new, and all are removed once the file's tests are over.
 */
export function useTempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `twofactor-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
