import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { BuildOptions } from "esbuild";
import type { FunctionProps } from "sst/constructs";
import { ROOT } from "./root.js";

/**
 * How every function is bundled: the `nodejs` props the stacks give SST, and the esbuild options
 * SST v2 turns them into. Kept apart from functions.ts (which needs aws-cdk-lib) so that the bundle
 * benchmark and the leanness test build exactly what the stacks deploy without loading the CDK.
 */

/** A native module (argon2) cannot be bundled: it stays external (functions.ts installs its arm64 build beside the bundles that load it). */
export const NATIVE = "@node-rs/argon2";

/**
 * Two departures from SST's defaults, each to cut what a cold start parses (tests/infra/bundles.test.ts
 * runs the bundles so built against the local stand-ins):
 * - the SDK's default credential chain gives way to the environment's credentials, all Lambda ever
 *   provides (functions/lambda-credentials.ts says why): about 100 KB less in every AWS-calling bundle;
 * - `keepNames` is off: nothing here reads a function's or class's `name` (the SDK names its commands
 *   and errors explicitly, zod its schema kinds), and keeping them costs a `defineProperty` per class
 *   and function at import, and about 6% of the bundle.
 */
export const NODEJS_BUNDLING = {
  format: "esm",
  minify: true,
  sourcemap: true,
  esbuild: {
    external: [NATIVE],
    keepNames: false,
    alias: { "@aws-sdk/credential-provider-node": path.join(ROOT, "functions/lambda-credentials.ts") },
  },
} as const satisfies FunctionProps["nodejs"];

/**
 * What SST v2's node handler (node_modules/sst/runtime/handlers/node.js, `build`, deploy mode)
 * passes to esbuild for NODEJS_BUNDLING: keep this in step with that file when SST is upgraded.
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  const { esbuild: { external, ...override }, format, minify, sourcemap } = NODEJS_BUNDLING;
  const sstDefaults: BuildOptions = {
    entryPoints: [entry],
    platform: "node",
    external: ["sharp", "pg-native", ...external],
    keepNames: true,
    bundle: true,
    logLevel: "silent",
    metafile: true,
    format,
    target: "esnext",
    mainFields: ["module", "main"],
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
        "",
      ].join("\n"),
    },
    outfile,
    sourcemap,
    minify,
  };
  return { ...sstDefaults, ...override };
}

/** The esbuild SST itself bundles with (its own pinned copy, older than the repository's). */
export function sstEsbuild(): typeof import("esbuild") {
  return createRequire(createRequire(import.meta.url).resolve("sst/package.json"))("esbuild") as typeof import("esbuild");
}

/** Where the HTTP functions' entry modules are written: SST's own working folder, which git ignores. */
const EDGE_ENTRIES = path.join(ROOT, ".sst", "edge-entries");

/**
 * The file esbuild starts a function's bundle from. An HTTP route is wrapped in what every deployed
 * HTTP function runs around it (functions/edge/through-cloudfront.ts: the origin check, the caller's
 * address, tracing), through a small module written here per route, so that the routes, the local
 * server and their tests stay as they are. Consumers and the schedule bundle their module itself.
 */
export function entryFor(handler: string): string {
  const module = handler.slice(0, handler.lastIndexOf("."));
  if (!module.startsWith("functions/http/")) return path.join(ROOT, `${module}.ts`);
  const entry = path.join(EDGE_ENTRIES, `${module}.ts`);
  const from = (target: string) => path.relative(path.dirname(entry), path.join(ROOT, target)).split(path.sep).join("/");
  const source = [
    `import { handler as route } from "${from(`${module}.ts`)}";`,
    `import { throughCloudFront } from "${from("functions/edge/through-cloudfront.ts")}";`,
    "export const handler = throughCloudFront(route);",
    "",
  ].join("\n");
  let written: string | undefined;
  try {
    written = readFileSync(entry, "utf8");
  } catch {
    written = undefined;
  }
  if (written !== source) {
    // Written whole under another name, then renamed: a concurrent build never reads half a file.
    mkdirSync(path.dirname(entry), { recursive: true });
    const staged = `${entry}.${process.pid}.tmp`;
    writeFileSync(staged, source);
    renameSync(staged, entry);
  }
  return entry;
}
