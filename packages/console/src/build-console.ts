import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface ConsoleFile {
  contentType: string;
  body: Buffer;
}

export interface ConsoleBuildOptions {
  /**
   * Where the API answers, as an origin (`https://abc.execute-api.eu-west-1.amazonaws.com`); empty
   * when the console is served by the API's own server (`npm start`), so every call stays same-origin.
   */
  apiUrl?: string;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console as the files a browser loads, by URL path: the page, one script bundle and one
 * stylesheet. esbuild bundles preact, htm and @simplewebauthn/browser into the script, so nothing
 * is fetched from anywhere but the console's own origin (and the API's).
 */
export async function buildConsole(options: ConsoleBuildOptions = {}): Promise<Map<string, ConsoleFile>> {
  const apiUrl = options.apiUrl ?? "";
  const result = await build({
    entryPoints: { console: here("./app/main.ts") },
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    outdir: "/assets",
    define: { __API_URL__: JSON.stringify(apiUrl) },
    logLevel: "silent",
  });
  const files = new Map<string, ConsoleFile>();
  for (const file of result.outputFiles) files.set(file.path, { contentType: "text/javascript; charset=utf-8", body: Buffer.from(file.contents) });
  files.set("/assets/console.css", { contentType: "text/css; charset=utf-8", body: await readFile(here("./site/console.css")) });
  const page = (await readFile(here("./site/index.html"), "utf8")).replace("%CONTENT_SECURITY_POLICY%", contentSecurityPolicy(apiUrl));
  files.set("/index.html", { contentType: "text/html; charset=utf-8", body: Buffer.from(page) });
  return files;
}

/**
 * What the page may load and call: its own script and stylesheet, the QR code's `data:` image, and
 * the API. No inline script or style, no `eval`, nothing from another host. The `<meta>` copy lets
 * a static host (S3 + CloudFront) enforce it too; the local server also sends it as a header, with
 * `frame-ancestors`, which only a header can carry.
 */
export function contentSecurityPolicy(apiUrl = ""): string {
  const api = apiUrl ? ` ${originOf(apiUrl)}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${api}`,
    "form-action 'self'",
    "base-uri 'none'",
  ].join("; ");
}

/** A URL's origin; a deploy-time placeholder (`{{ CONSOLE_API_URL }}`, replaced in the files after the build) stays as it is. */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}
