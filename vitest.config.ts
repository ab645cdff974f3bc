import { defineConfig } from "vitest/config";

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
