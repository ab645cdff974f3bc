import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { allHandlers, handlerModule } from "@twofactor/functions/handlers";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Packages that cannot be bundled: native addons (argon2, classic-level under dynalite) and esbuild's binary. */
const UNBUNDLED = /^(@node-rs\/argon2|dynalite|esbuild)$/;

/**
 * The entry: the crash point (inert unless a test sets CRASH_POINT_FILE), the handler modules,
 * handed to the loader, then `npm start`'s own entry point (imported last and dynamically, so that
 * its top level runs once they are in place).
 */
function entry(modules: string[]): string {
  return [
    `import "./tests/support/crash-point.ts";`,
    `import { bundleHandlerModules } from "./packages/local/src/load-handler.ts";`,
    ...modules.map((module, i) => `import * as m${i} from "./${module}.ts";`),
    `bundleHandlerModules({ ${modules.map((module, i) => `${JSON.stringify(module)}: m${i}`).join(", ")} });`,
    `await import("./packages/local/src/main.ts");`,
  ].join("\n");
}

/** The packages left out are imported by absolute path, so the bundle runs from any folder. */
const unbundledByPath: Plugin = {
  name: "unbundled-by-path",
  setup(builder) {
    const require = createRequire(join(ROOT, "package.json"));
    builder.onResolve({ filter: UNBUNDLED }, (args) => ({ path: pathToFileURL(require.resolve(args.path)).href, external: true }));
  },
};

/** `import.meta.url` in the project's own files keeps naming the file (the console's build finds its sources by it). */
const ownMetaUrl: Plugin = {
  name: "own-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const source = readFileSync(args.path, "utf8");
      return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
    });
  },
};

let built: Promise<string> | undefined;

/**
 * `npm start`'s entry point as one ES module with every handler in it, built once per test worker
 * and removed when the worker exits. Started with plain `node`, a server process is listening after
 * about 1 s of CPU time; through `tsx` it took over 3 s, before each handler's first request paid
 * for transforming and resolving its own imports.
 */
export function serverBundle(): Promise<string> {
  return (built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "twofactor-server-bundle-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, "main.mjs");
    await build({
      stdin: { contents: entry([...new Set(allHandlers.map(handlerModule))]), resolveDir: ROOT, sourcefile: "server-bundle-entry.ts", loader: "ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      plugins: [unbundledByPath, ownMetaUrl],
      // CommonJS modules in the bundle require Node's built-ins.
      banner: { js: `import { createRequire as bundleCreateRequire } from "node:module"; const require = bundleCreateRequire(import.meta.url);` },
      logLevel: "warning",
    });
    return outfile;
  })());
}
