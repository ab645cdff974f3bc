/**
 * `npm run bench:bundles` (also part of `npm run bench`): every function bundle built the way the
 * stacks build it (infra/bundling.ts, SST's own esbuild), then its size and its cold `import()` time,
 * the median of fresh `node` processes that each import it once. Prints a table with the size and
 * import targets beside the figures; passes or fails nothing.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Metafile } from "esbuild";
import { allHandlers, handlerModule } from "@twofactor/functions/handlers";
import { entryFor, esbuildOptions, sstEsbuild } from "../infra/bundling.js";
import { median } from "./statistics.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Inside node_modules so that the bundles find the external argon2 (this machine's build) as they would beside their asset. */
const OUT = path.join(ROOT, "node_modules/.cache/twofactor-bundles");
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 5);

export const HANDLERS = allHandlers;

/** The environment the stacks give every function (values made up: importing calls nothing). */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  TABLE_NAME: "twofactor",
  EVENT_BUS_NAME: "twofactor",
  KMS_KEY_ARN: "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000",
  POWERTOOLS_SERVICE_NAME: "twofactor",
  POWERTOOLS_METRICS_NAMESPACE: "twofactor/bench",
};

const TARGETS: Record<string, { kb?: number; ms?: number }> = {
  "functions/http/health.handler": { kb: 150 },
  "functions/http/login.handler": { ms: 90 },
  "functions/http/challenge-totp.handler": { ms: 90 },
};
const HTTP_KB = 900;
const mark = (ok: boolean) => (ok ? "✓" : "✗");

export interface Bundle {
  outfile: string;
  bytes: number;
  /** esbuild's metafile entry for this bundle: what went into it, and what it still imports. */
  output: Metafile["outputs"][string];
}

/**
 * The bundles SST would make of `handlers` (`functions/http/login.handler` → `functions/http/login.ts`,
 * an HTTP route wrapped as deployed: infra/bundling.ts entryFor),
 * in one esbuild run with an entry point each, as the synth builds them (patches/sst+2.49.8.patch):
 * esbuild bundles each entry point apart, so every output is byte for byte what a run of its own
 * makes, and the AWS SDK and zod are parsed once instead of once per function.
 */
export async function buildBundles(handlers: readonly string[], outDir = OUT): Promise<Map<string, Bundle>> {
  const modules = new Map(handlers.map((handler) => [handler, handlerModule(handler)]));
  const { entryPoints: _entry, outfile: _outfile, ...options } = esbuildOptions("", "");
  const { metafile } = await sstEsbuild().build({
    ...options,
    entryPoints: [...modules].map(([handler, module]) => ({ in: entryFor(handler), out: module })),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
  });
  const outputs = new Map(Object.entries(metafile!.outputs).map(([file, output]) => [path.resolve(file), output]));
  const bundles = new Map<string, Bundle>();
  for (const [handler, module] of modules) {
    const outfile = path.join(outDir, `${module}.mjs`);
    bundles.set(handler, { outfile, bytes: (await stat(outfile)).size, output: outputs.get(outfile)! });
  }
  return bundles;
}

/** The reference shape's import time on the machine the import targets were set on. */
const REFERENCE_BASELINE_MS = 155;

/**
 * The shape every function had before each got a bundle of its own, rebuilt from today's code: one
 * bundle of every handler (so every dependency), with SST's own options (names kept, the SDK's whole
 * credential chain). Timed in the same run, it tells how this machine compares with the one the
 * targets were set on.
 */
async function buildReference(): Promise<{ outfile: string; bytes: number }> {
  const outfile = path.join(OUT, "reference-all-handlers.mjs");
  const contents = HANDLERS.map((handler, i) => `export { handler as h${i} } from "./${handlerModule(handler)}.ts";`).join("\n");
  const { entryPoints: _entry, alias: _alias, ...options } = esbuildOptions("", outfile);
  await sstEsbuild().build({ ...options, keepNames: true, stdin: { contents, resolveDir: ROOT, sourcefile: "all-handlers.ts", loader: "ts" } });
  return { outfile, bytes: (await stat(outfile)).size };
}

/** Median of RUNS fresh processes, each running `script` (an ES module body that prints milliseconds) beside `file`. */
async function medianOfFresh(file: string, script: string, execArgv: string[] = []): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { stdout } = await promisify(execFile)(process.execPath, [...execArgv, "--input-type=module", "-e", script], { env: LAMBDA_ENV, cwd: path.dirname(file) });
    times.push(Number(stdout.trim()));
  }
  return median(times);
}

/** One fresh process, one import: milliseconds from just before `import()` to its settling. */
const medianImport = (file: string) =>
  medianOfFresh(file, `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`);

/**
 * What a cold import pays before the bundle's first line runs: V8 compiling its source (a module
 * constructed, not linked or run) and loading the Node built-ins it imports (the AWS SDK needs
 * `https`, `crypto`, streams…). Both grow with the libraries a bundle must hold, whatever its own code does.
 */
async function importFloor(file: string): Promise<{ compileMs: number; builtinsMs: number }> {
  const source = JSON.stringify(file);
  const compileMs = await medianOfFresh(file,
    `import vm from "node:vm"; import { readFileSync } from "node:fs"; const text = readFileSync(${source}, "utf8"); ` +
      `const t = performance.now(); new vm.SourceTextModule(text); console.log(performance.now() - t);`,
    ["--experimental-vm-modules", "--no-warnings"]);
  const builtins = [...new Set([...(await readFile(file, "utf8")).matchAll(/from\s*"(node:[\w/]+)"|import\("(node:[\w/]+)"\)/g)].map((m) => m[1] ?? m[2]))];
  const builtinsMs = await medianOfFresh(file,
    `const t = performance.now(); await Promise.all(${JSON.stringify(builtins)}.map((name) => import(name))); console.log(performance.now() - t);`);
  return { compileMs, builtinsMs };
}

export async function benchBundles(): Promise<string[]> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const lines = [
    `\nFunction bundles as the stacks build them (SST's esbuild, ${process.platform}/${process.arch}, node ${process.version}); ` +
      `KB = 1000 bytes of minified JS without its map; cold import = median of ${RUNS} fresh processes ` +
      `(load average ${loadavg()[0]!.toFixed(1)} at the start: times scale with it).\n`,
    "| handler | KB | target KB | cold import ms | target ms |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const timed: { name: string; outfile: string; ms: number; target: number }[] = [];
  const bundles = await buildBundles(HANDLERS);
  for (const handler of HANDLERS) {
    const { outfile, bytes } = bundles.get(handler)!;
    const kb = bytes / 1000;
    const ms = await medianImport(outfile);
    const target = TARGETS[handler] ?? {};
    const kbTarget = target.kb ?? (handler.startsWith("functions/http/") ? HTTP_KB : undefined);
    const name = handler.replace(/^functions\//, "").replace(/\.handler$/, "");
    if (target.ms) timed.push({ name, outfile, ms, target: target.ms });
    lines.push(`| ${name} | ${kb.toFixed(0)} | ` +
      `${kbTarget ? `≤ ${kbTarget} ${mark(kb <= kbTarget)}` : ""} | ${ms.toFixed(0)} | ${target.ms ? `≤ ${target.ms} ${mark(ms <= target.ms)}` : ""} |`);
  }
  const reference = await buildReference();
  const referenceMs = await medianImport(reference.outfile);
  lines.push(`| *reference: every handler in one bundle, SST's default options (the shape before a bundle per function)* | ${(reference.bytes / 1000).toFixed(0)} | | ${referenceMs.toFixed(0)} | |`);
  const scaled = (ms: number) => (ms * referenceMs) / REFERENCE_BASELINE_MS;
  lines.push("", `The targets were set where the reference shape took ~${REFERENCE_BASELINE_MS} ms; here it takes ${referenceMs.toFixed(0)} ms, ` +
    `so this machine is ${(referenceMs / REFERENCE_BASELINE_MS).toFixed(1)}× slower at importing, and the 90 ms target scales to ${scaled(90).toFixed(0)} ms here.`);
  lines.push("", "What the timed functions pay before their first line runs (medians of fresh processes): compiling the bundle and loading the Node built-ins it imports.\n",
    "| handler | compile ms | built-ins ms | floor ms | cold import ms | target ms |", "| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const { name, outfile, ms, target } of timed) {
    const { compileMs, builtinsMs } = await importFloor(outfile);
    lines.push(`| ${name} | ${compileMs.toFixed(0)} | ${builtinsMs.toFixed(0)} | ${(compileMs + builtinsMs).toFixed(0)} | ${ms.toFixed(0)} | ≤ ${target} |`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await benchBundles()) console.log(line);
}
