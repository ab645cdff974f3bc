import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest, longest first (measured in full runs on this 2-core machine: 40–70 s
 * each, then about 20 s). Vitest's own order runs one project's files after the other's, and on a
 * fresh clone (no timings cached) smaller files first, so one of these could start last and run on
 * alone for a minute while a core idles.
 */
const LONGEST_FIRST = [
  "tests/infra/stacks.test.ts",
  "tests/e2e/enforcement-fan-out.test.ts",
  "tests/e2e/malformed-bodies.test.ts",
  "tests/e2e/crash-activation.test.ts",
  "tests/e2e/webauthn-defences.test.ts",
  "tests/e2e/second-factor-bursts.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(relative(file.project.config.root, file.moduleId));
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep Vitest's order
  }
}

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Three test files at a time on this 2-core machine: the files wait on sockets, timers and
    // esbuild's own process often enough that a third keeps the cores busier (measured, quiet
    // machine: 231 s with two, 215–224 s with three, 217 s with four).
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "unit+infra",
          include: ["packages/**/*.test.ts", "events/**/*.test.ts", "functions/**/*.test.ts", "tests/infra/**/*.test.ts"],
        },
      },
      {
        // Each of these files starts its own local runtime and reads only through it, so a worker
        // may reuse its module graph from one file to the next: importing the application (AWS SDK,
        // Encryption SDK, WebAuthn, zod schemas) once per worker instead of once per file saves
        // about a third of the suite's CPU. Unit tests that stub the environment before importing a
        // module (the metrics consumer) stay isolated above.
        extends: true,
        test: {
          name: "system",
          include: ["tests/e2e/**/*.test.ts", "tests/integration/**/*.test.ts"],
          isolate: false,
        },
      },
    ],
  },
});
