import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { buildConsole } from "./build-console.js";

/**
 * The console as a static site, for S3 behind CloudFront: `dist/` under this package (or the folder
 * given). It calls the API on its own origin, as the stage's distribution serves both, unless
 * `CONSOLE_API_URL` names an API elsewhere.
 */
const out = resolve(process.argv[2] ?? "dist");
await rm(out, { recursive: true, force: true });
for (const [path, file] of await buildConsole({ apiUrl: process.env.CONSOLE_API_URL ?? "" })) {
  const target = join(out, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, file.body);
}
