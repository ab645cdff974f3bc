import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import chromium from "@sparticuz/chromium";

/**
 * The Chromium the browser tests drive: the build that ships inside the npm package
 * `@sparticuz/chromium` (a devDependency), so that `npm ci && npm test` needs no system browser.
 * `CHROMIUM_PATH` may name another build; if it names nothing, that is an error, not a fallback.
 */
export async function chromiumExecutable(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist; unset it to use the Chromium of @sparticuz/chromium.`);
    return fromEnv;
  }
  return unpackedChromium();
}

/**
 * Flags for a headless, offline browser: the package's own (made for serverless functions) except
 * `--single-process`, under which closing one tab ends the whole browser, and ours.
 */
export function chromiumArgs(): string[] {
  chromium.setGraphicsMode = false; // no WebGL needed: no SwiftShader flags
  return [
    ...chromium.args.filter((arg) => arg !== "--single-process"),
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ];
}

const PACKAGE_JSON = fileURLToPath(new URL("../../node_modules/@sparticuz/chromium/package.json", import.meta.url));
const READY = ".unpacked";

/**
 * The package unpacks its brotli archives into `os.tmpdir()` (about 200 MB, a few seconds, once).
 * It does so into a private folder first, then renames that folder into place, so test files that
 * start at once never run a half-written binary, and a folder per package version never serves
 * another version's build.
 */
async function unpackedChromium(): Promise<string> {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string };
  const folder = join(tmpdir(), `twofactor-chromium-${version}`);
  if (existsSync(join(folder, READY))) return join(folder, "chromium");

  const staging = mkdtempSync(join(tmpdir(), "twofactor-chromium-unpacking-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging; // where the package unpacks
  try {
    const binary = await chromium.executablePath();
    if (binary !== join(staging, "chromium")) throw new Error(`@sparticuz/chromium unpacked to ${binary}, not into ${staging}.`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not unpack the Chromium of @sparticuz/chromium ${version}: ${(error as Error).message}`, { cause: error });
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  writeFileSync(join(staging, READY), "");
  try {
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(folder, READY))) throw error; // not merely another test file that finished first
  }
  return join(folder, "chromium");
}
