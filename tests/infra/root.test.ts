import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { sstEsbuild } from "../../infra/bundling.js";

/**
 * `sst deploy` runs the stacks from one bundle of sst.config.ts and infra/ written in the
 * repository's root (`.sst.config.<time>.mjs`, SST's stacks/build.js), not from infra/: a path taken
 * relative to `import.meta.url` there is one level off. The root the stacks use must hold in both.
 */
const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url));
const bundled = path.join(REPOSITORY, `.sst.config.root-check-${process.pid}.mjs`);

afterAll(() => rm(bundled, { force: true }));

describe("the repository root the stacks build from", () => {
  it("is the same from infra/ and from a bundle beside the root, as sst deploy loads the stacks", async () => {
    const { ROOT } = await import("../../infra/root.js");
    await sstEsbuild().build({
      stdin: { contents: 'export { ROOT } from "./infra/root.ts";', resolveDir: REPOSITORY, loader: "ts" },
      bundle: true, platform: "node", format: "esm", outfile: bundled, logLevel: "silent",
    });
    const fromBundle = (await import(pathToFileURL(bundled).href)) as { ROOT: string };
    expect(path.resolve(ROOT)).toBe(path.resolve(REPOSITORY));
    expect(path.resolve(fromBundle.ROOT)).toBe(path.resolve(REPOSITORY));
  });
});
