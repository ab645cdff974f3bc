import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";
import type { FunctionProps } from "sst/constructs";

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
    alias: { "@aws-sdk/credential-provider-node": fileURLToPath(new URL("../functions/lambda-credentials.ts", import.meta.url)) },
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
