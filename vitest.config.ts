import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/**/*.test.ts", "events/**/*.test.ts", "functions/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at a time: the infra synth (about half the suite's time) beside everything else.
    // Vitest's default on a 2-core machine is one, which makes `npm test` take their sum.
    maxWorkers: 2,
  },
});
