import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { buildConsole } from "./build-console.js";

/**
 * The console as a static site, for S3 + CloudFront: `dist/` under this package, calling the API at
 * `CONSOLE_API_URL`. SST's StaticSite runs this with `{{ CONSOLE_API_URL }}` while the API's URL is
 * not known yet, and puts the URL in place of that text in the uploaded files at deploy time.
 */
const apiUrl = process.env.CONSOLE_API_URL;
if (!apiUrl) throw new Error("CONSOLE_API_URL must name the API the console calls (https://…).");
const out = resolve(process.argv[2] ?? "dist");
await rm(out, { recursive: true, force: true });
for (const [path, file] of await buildConsole({ apiUrl })) {
  const target = join(out, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, file.body);
}
