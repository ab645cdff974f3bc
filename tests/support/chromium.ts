import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import chromium from "@sparticuz/chromium";

export interface ChromiumBuild {
  executablePath: string;
  /** The environment to start it with. */
  env: Record<string, string | undefined>;
}

/**
 * The Chromium the browser tests drive: the build that ships inside the npm package
 * `@sparticuz/chromium` (a devDependency), so that `npm ci && npm test` needs no system browser,
 * with the shared libraries the package ships beside it (NSS, NSPR, expat: what it loads beyond the C
 * library), so that it needs no system library either. `CHROMIUM_PATH` may name another build; if
 * it names nothing, that is an error, not a fallback.
 */
export async function chromiumBuild(): Promise<ChromiumBuild> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist; unset it to use the Chromium of @sparticuz/chromium.`);
    return { executablePath: fromEnv, env: { ...process.env } };
  }
  const executablePath = await unpackedChromium();
  const libraries = join(dirname(executablePath), "al2023", "lib");
  const inherited = process.env.LD_LIBRARY_PATH;
  return { executablePath, env: { ...process.env, LD_LIBRARY_PATH: inherited ? `${libraries}:${inherited}` : libraries } };
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
/** Where the package unpacks its libraries for Amazon Linux 2023, which it does only when it believes it runs there. */
const LIBRARIES_FOR = { AWS_LAMBDA_JS_RUNTIME: "nodejs20.x" };

/**
 * The package unpacks its brotli archives into `os.tmpdir()` (about 200 MB, a few seconds, once);
 * with the libraries too when told it runs on Amazon Linux 2023 (glibc 2.34, older than Debian's).
 * It does so into a private folder first, then renames that folder into place, so test files that
 * start at once never run a half-written binary, and a folder per package version never serves
 * another version's build.
 */
async function unpackedChromium(): Promise<string> {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string };
  const folder = join(tmpdir(), `twofactor-chromium-${version}`);
  if (existsSync(join(folder, READY))) return join(folder, "chromium");

  const staging = mkdtempSync(join(tmpdir(), "twofactor-chromium-unpacking-"));
  // Set in the process's real environment (os.tmpdir() reads it, not the process.env object), and
  // restored there, name by name: replacing process.env would leave the real TMPDIR pointing here.
  const settings: Record<string, string> = { TMPDIR: staging, ...LIBRARIES_FOR }; // where the package unpacks, and what
  const previous = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    const binary = await chromium.executablePath();
    if (binary !== join(staging, "chromium")) throw new Error(`@sparticuz/chromium unpacked to ${binary}, not into ${staging}.`);
    if (!existsSync(join(staging, "al2023", "lib", "libnss3.so"))) throw new Error("@sparticuz/chromium did not unpack its libraries (al2023).");
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not unpack the Chromium of @sparticuz/chromium ${version}: ${(error as Error).message}`, { cause: error });
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  }
  if (tmpdir() !== dirname(folder)) throw new Error(`TMPDIR was not restored: ${tmpdir()}`);
  writeFileSync(join(staging, READY), "");
  try {
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(folder, READY))) throw error; // not merely another test file that finished first
  }
  return join(folder, "chromium");
}
