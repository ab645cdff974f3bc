import { afterEach, describe, expect, it } from "vitest";
import { KEY_SERVICE_FAILURE_LOG } from "../../infra/routes.js";
import { signUpAndLogin } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * The KeyServiceFailures alarm counts a log line (a metric filter on the vault functions' logs):
 * here a vault function really writes it, with KMS unreachable, and the line has every field the
 * filter matches on. Port 9 (discard): nothing listens there on loopback.
 */
const ctx = useSystem({ env: { KMS_ENDPOINT: "http://127.0.0.1:9" } });
let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** The JSON lines written while `run` runs (Powertools Logger writes to stdout, and errors to stderr, as on Lambda). */
async function linesWhile(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(String(chunk));
      return writes[i]!(chunk, ...rest);
    }) as typeof stream.write;
  });
  restore = () => streams.forEach((stream, i) => { stream.write = writes[i]!; });
  try {
    await run();
  } finally {
    restore();
    restore = undefined;
  }
  return chunks.join("").split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const field = (line: Record<string, unknown>, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], line);

describe("the line the key service's failures are counted by", () => {
  it("is what a vault function logs when KMS cannot be reached: every field the metric filter matches", async () => {
    const user = await signUpAndLogin(ctx.api);
    let status = 0;
    const lines = await linesWhile(async () => { status = (await ctx.api.post("/v1/me/totp", undefined, user.token)).status; });
    expect(status).toBe(503);
    const matching = lines.filter((line) => Object.entries(KEY_SERVICE_FAILURE_LOG).every(([path, value]) => field(line, path) === value));
    expect(matching, JSON.stringify(lines.map((line) => line.message))).toHaveLength(1);
    expect(matching[0]).toMatchObject({ level: "ERROR" });
  });
});
