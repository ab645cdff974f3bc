import type { IncomingMessage, ServerResponse } from "node:http";
import { buildConsole, contentSecurityPolicy, type ConsoleFile } from "@twofactor/console";

/** Headers of every console file: its CSP (with `frame-ancestors`, which a `<meta>` cannot carry) and no sniffing, framing or referrers. */
const SECURITY_HEADERS = {
  "content-security-policy": `${contentSecurityPolicy()}; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

/**
 * The reference console on the API's own origin (`http://localhost:$PORT/`): same origin, so no
 * CORS and WebAuthn's RP ID `localhost` works. Built by esbuild on the first request for it (a
 * fraction of a second), so a server that nobody browses (the tests of the API) never builds it.
 * Answers true when the request was the console's.
 */
export function consoleSite(): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean> {
  let files: Promise<Map<string, ConsoleFile>> | undefined;
  return async (req, res, pathname) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || pathname.startsWith("/v1/")) return false;
    const built = await (files ??= buildConsole().catch((error: unknown) => {
      files = undefined; // let the next request try again
      throw error;
    }));
    const file = built.get(pathname === "/" ? "/index.html" : pathname);
    if (!file) return false;
    res.writeHead(200, { ...SECURITY_HEADERS, "content-type": file.contentType, "content-length": String(file.body.length) });
    res.end(req.method === "HEAD" ? undefined : file.body);
    return true;
  };
}
