import { createRequire } from "node:module";
import type { BuildOptions } from "esbuild";
import type { FunctionProps } from "sst/constructs";

/**
 * How every function is bundled: the `nodejs` props the stacks give SST, and the esbuild options
 * SST v2 turns them into. Kept apart from functions.ts (which needs aws-cdk-lib) so that the bundle
 * benchmark and the leanness test build exactly what the stacks deploy without loading the CDK.
 */

/** A native module (argon2) cannot be bundled: it stays external (functions.ts installs its arm64 build beside the bundles that load it). */
export const NATIVE = "@node-rs/argon2";

export const NODEJS_BUNDLING = {
  format: "esm",
  minify: true,
  sourcemap: true,
  esbuild: { external: [NATIVE] },
} as const satisfies FunctionProps["nodejs"];

/**
 * What SST v2's node handler (node_modules/sst/runtime/handlers/node.js, `build`, deploy mode)
 * passes to esbuild for NODEJS_BUNDLING: keep this in step with that file when SST is upgraded.
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  const { esbuild: { external, ...override }, format, minify, sourcemap } = NODEJS_BUNDLING;
  return {
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
    ...override,
  };
}

/** The esbuild SST itself bundles with (its own pinned copy, older than the repository's). */
export function sstEsbuild(): typeof import("esbuild") {
  return createRequire(createRequire(import.meta.url).resolve("sst/package.json"))("esbuild") as typeof import("esbuild");
}
