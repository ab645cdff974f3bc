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
  "tests/e2e/malformed-bodies.test.ts",
  "tests/infra/stacks.test.ts",
  "tests/e2e/enforcement-fan-out.test.ts",
  "tests/e2e/console-teams.test.ts",
  "tests/e2e/console-account.test.ts",
  "tests/e2e/crash-fence.test.ts",
  "tests/e2e/crash-activation.test.ts",
  "tests/e2e/team-invitations.test.ts",
  "tests/e2e/team-reset.test.ts",
  "tests/e2e/fence-races.test.ts",
  "tests/e2e/webauthn-defences.test.ts",
  "tests/e2e/second-factor-bursts.test.ts",
  // Short tests after a long set-up (bundling, a tour of every route), which Vitest's timings miss.
  "tests/infra/bundles.test.ts",
  "tests/infra/handler-calls.test.ts",
];

/**
 * The files that import a module only after stubbing the environment it reads at import: in a worker
 * that imported it before, they would get the module as it was. (The files that mock an SDK client
 * restore it in afterAll, and share workers.)
 */
const ISOLATED = ["tests/integration/outbox-sweep-metrics.test.ts", "functions/events/notifier.test.ts"];

/**
 * The longest first, and the isolated file last: a worker slot it takes mid-run is taken from a
 * shared worker, which is then started anew and imports the application again (about 3 s of CPU).
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const path = relative(file.project.config.root, file.moduleId);
      if (ISOLATED.includes(path)) return LONGEST_FIRST.length + 1;
      const index = LONGEST_FIRST.indexOf(path);
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
    // esbuild's own process often enough that a third keeps the cores busier (measured: 231 s with
    // two; with the longest files first, three, four and five workers all took 182–194 s, before the
    // browser files shared one Chromium per worker).
    maxWorkers: 3,
    // A larger young generation: the tests allocate fast (SDK requests, JSON, the local store), and
    // with Node's default 16 MB semi-spaces the scavenger ran often and promoted short-lived objects.
    execArgv: ["--max-semi-space-size=64"],
    sequence: { sequencer: LongestFirst },
    projects: [
      // Files that stub the environment before importing a module: each in a process of its own.
      // Only while there are some: a project with nothing to include would take Vitest's defaults.
      ...(ISOLATED.length ? [{ extends: true as const, test: { name: "isolated", include: ISOLATED } }] : []),
      {
        // The rest start their own local runtime (or none) and read only through it, so a worker
        // may reuse its module graph from one file to the next: importing the application (AWS SDK,
        // Encryption SDK, WebAuthn, zod schemas, the CDK) once per worker instead of once per file
        // saves about a third of the suite's CPU.
        extends: true,
        test: {
          name: "shared",
          include: ["packages/**/*.test.ts", "events/**/*.test.ts", "functions/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...ISOLATED],
          isolate: false,
        },
      },
    ],
  },
});
