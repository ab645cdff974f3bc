import { connect } from "node:net";
import { request } from "node:http";

/** A request with any method, body and content type (fetch refuses a body on GET). */
export function rawRequest(url: string, method: string, body: string, headers: Record<string, string>): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Exact bytes over a socket, for requests no HTTP client would send (over-large or malformed
 * headers, odd bytes, a broken request line): the status and body of whatever comes back.
 */
export function rawHttp(port: number, bytes: Buffer | string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => (chunks.length && error.code === "ECONNRESET" ? done() : reject(error)));
    socket.on("end", () => done());
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer within 10 s")));
    socket.write(bytes);
    let finished = false;
    function done() {
      if (finished) return;
      finished = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const head = end < 0 ? text : text.slice(0, end);
      const raw = end < 0 ? "" : text.slice(end + 4);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: /^transfer-encoding:\s*chunked/im.test(head) ? dechunk(raw) : raw });
    }
  });
}

/** The body of a `Transfer-Encoding: chunked` answer (sizes in hex, each chunk followed by CRLF). */
function dechunk(raw: string): string {
  let body = "";
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", at);
    const size = lineEnd < 0 ? 0 : parseInt(raw.slice(at, lineEnd), 16);
    if (!size) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
