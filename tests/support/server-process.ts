import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { client, type Client } from "./api.js";
import { serverBundle } from "./server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  api: Client;
  url: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown hook runs, nothing is flushed by us — a crash. */
  kill(): Promise<void>;
}

/**
 * `npm start`'s entry point (bundled, see server-bundle.ts) in a process of its own, on `dataDir`,
 * on a free port: what a test kills with SIGKILL and starts again on the same data.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [await serverBundle()], {
    cwd: ROOT,
    // Not this process's environment: an in-process runtime of the same test file wrote its own
    // endpoints and relying party there.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env, DATA_DIR: dataDir, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    api: client(url),
    url,
    child,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
