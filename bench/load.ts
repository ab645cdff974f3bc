/**
 * The load figures of `npm run bench` (also runnable alone: `npm run bench:load`): TOTP
 * verifications and logins at 1, 8 and 32 concurrent clients over HTTP on the embedded runtime —
 * requests per second, p50 and p99 — beside the raw rate of its store: the same DynamoDB requests
 * (as the handler sent them: same commands, conditions and items), replayed in a tight loop on the same
 * dynalite at the same concurrency, in the same run. What the application adds on top of its store
 * is the gap between the two. Each concurrency runs five rounds, each a window of the application
 * followed by its raw loop, and the table shows the medians: either rate alone swings by ±15%
 * between windows on this machine, and a slow phase of the machine that spans a window and its raw
 * loop moves both, so the share of the raw rate is taken per round, then its median. Prints; never
 * passes or fails on time. Everything (clients, server, handlers, dynalite) shares this machine's
 * cores, so the figures are this machine's, not AWS's; the consumers of the operations' events,
 * other functions on AWS, run after each timed run, not in it.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { currentHandler, startLocalRuntime, type LocalRuntime } from "@twofactor/local";
import { client, type Client } from "../tests/support/api.js";
import { totpCode } from "../tests/support/authenticator.js";
import { TestClock } from "../tests/support/clock.js";
import type { ClientRequest, ClientResult, ClientRun } from "./load-clients.js";
import { median, percentile } from "./statistics.js";

export interface LoadOptions {
  /** Concurrent clients of the runs after the first, sequential one. */
  levels?: number[];
  /** Verifications (and logins) per window; each TOTP user verifies once per window, so this many users are enrolled. */
  operations?: number;
  /** Windows per concurrency, each followed by its raw loop: the table shows their medians. */
  rounds?: number;
}

const PASSWORD = "correct horse battery staple";
const VERIFY = "functions/http/challenge-totp.handler";
const LOGIN = "functions/http/login.handler";

/** A DynamoDB request as a handler sent it (document form), to be sent again by the raw loop. */
interface Recorded { command: string; input: Record<string, unknown> }

/** The store requests each function sends, attributed by the local runtime's invocation context. */
class RequestLog {
  private readonly byHandler = new Map<string, Recorded[]>();
  recording = true;

  constructor(system: LocalRuntime) {
    system.runtime.table.client.middlewareStack.add(
      (next, context) => async (args) => {
        const handler = currentHandler();
        if (this.recording && handler) {
          const list = this.byHandler.get(handler) ?? [];
          list.push({ command: context.commandName ?? "?", input: structuredClone(args.input as Record<string, unknown>) });
          this.byHandler.set(handler, list);
        }
        return next(args);
      },
      { step: "initialize", name: "loadBenchRequestLog" },
    );
  }

  of(handler: string): Recorded[] {
    return this.byHandler.get(handler) ?? [];
  }

  /** Every function's requests, the consumers' too. */
  total(): number {
    return [...this.byHandler.values()].reduce((sum, list) => sum + list.length, 0);
  }

  clear(): void {
    this.byHandler.clear();
  }
}

/**
 * The raw loop's copy of a recorded request, with its condition kept (dynalite parses and evaluates
 * it as before) but made to hold, so that a claim, a session or a settle can be written again and
 * again: the same command on the same item, only never refused.
 */
function replayable(request: Recorded) {
  const { ConditionExpression, ExpressionAttributeNames, ...rest } = request.input as {
    ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>;
  } & Record<string, unknown>;
  const input = ConditionExpression
    ? { ...rest, ConditionExpression: `(${ConditionExpression}) OR attribute_not_exists(#replayed)`, ExpressionAttributeNames: { ...ExpressionAttributeNames, "#replayed": "replayNeverSet" } }
    : request.input;
  switch (request.command) {
    case "GetItemCommand": return () => new GetCommand(structuredClone(input) as never);
    case "QueryCommand": return () => new QueryCommand(structuredClone(input) as never);
    case "UpdateItemCommand": return () => new UpdateCommand(structuredClone(input) as never);
    case "PutItemCommand": return () => new PutCommand(structuredClone(input) as never);
    case "DeleteItemCommand": return () => new DeleteCommand(structuredClone(input) as never);
    default: throw new Error(`the raw loop cannot replay ${request.command}`);
  }
}

/** Runs `count` operations on `concurrency` workers; answers each one's latency (ms) and the wall time (s). */
async function drive(concurrency: number, count: number, operation: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const begun = performance.now();
      await operation(i);
      latencies.push(performance.now() - begun);
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/** Sends `requests`, `concurrency` at a time, from the clients' worker thread. */
function fromClients(url: string, concurrency: number, requests: ClientRequest[]): Promise<{ latencies: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's hooks on Node 20: it registers them, then loads the TypeScript file.
    const clients = new URL("./load-clients.ts", import.meta.url).href;
    const tsx = import.meta.resolve("tsx/esm/api");
    const start = `import { tsImport } from ${JSON.stringify(tsx)}; await tsImport(${JSON.stringify(clients)}, ${JSON.stringify(import.meta.url)});`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(start)}`), {
      workerData: { url, concurrency, requests } satisfies ClientRun,
    });
    worker.once("message", (result: ClientResult) => {
      void worker.terminate();
      if ("error" in result) reject(new Error(result.error));
      else resolve({ latencies: result.latencies.sort((a, b) => a - b), seconds: result.seconds });
    });
    worker.once("error", reject);
  });
}

/**
 * Runs the timed window with the event consumers held: on AWS they are other functions on other
 * machines, here they would share the one thread with the function measured. They run right after
 * (uncounted in its rate), and their requests still show in the "with consumers" column.
 */
async function withConsumersHeld<T>(system: LocalRuntime, run: () => Promise<T>): Promise<T> {
  system.bus.pauseDeliveries();
  try {
    return await run();
  } finally {
    system.bus.resumeDeliveries();
  }
}

/**
 * The raw store rate (requests/s): each operation's requests replayed in order, `concurrency`
 * operations at a time, each on the items its operation touched (so no more contention than the
 * application had).
 */
async function rawRate(system: LocalRuntime, sequences: Recorded[][], concurrency: number): Promise<number> {
  const replays = sequences.map((sequence) => sequence.map(replayable));
  const { client: dynamo } = system.runtime.table;
  const { seconds } = await drive(concurrency, replays.length, async (i) => {
    for (const command of replays[i]!) await dynamo.send(command() as never);
  });
  return replays.reduce((sum, replay) => sum + replay.length, 0) / seconds;
}

/** The parts of the answers this bench reads. */
interface Answer { session: { token: string }; secret: string; challenge: { id: string } }

async function expectStatus(res: Promise<{ status: number; body: unknown }>, status: number, what: string): Promise<Answer> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Answer;
}

/** Users with TOTP on (`secret`), and users without a second factor, made `concurrency` at a time. */
async function enroll(api: Client, clock: TestClock, count: number, twoFactor: boolean) {
  const users: { email: string; secret: string }[] = [];
  await drive(8, count, async (i) => {
    const email = `load-${twoFactor ? "totp" : "plain"}-${i}-${Date.now()}@example.com`;
    await expectStatus(api.post("/v1/users", { email, password: PASSWORD, name: "Load" }), 201, "sign-up");
    if (!twoFactor) return void users.push({ email, secret: "" });
    const { token } = (await expectStatus(api.post("/v1/auth/login", { email, password: PASSWORD }), 201, "login")).session;
    const { secret } = await expectStatus(api.post("/v1/me/totp", undefined, token), 201, "enrollment");
    // Each run starts on a later step than this one (TestClock.startFreshStep).
    await expectStatus(api.post("/v1/me/totp/activate", { code: totpCode(secret, clock.now()) }, token), 200, "activation");
    users.push({ email, secret });
  });
  return users;
}

interface Run {
  operation: string;
  concurrency: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** In the request path: what the operation's own function sent. */
  storeRequests: number;
  /** With what the consumers of its events sent (on the same dynalite and thread here; other functions on AWS). */
  allRequests: number;
  rawPerSecond: number;
  /** Per s × store requests per op, as a share of the raw rate (per round, then the median). */
  share: number;
  /** Each round's share, in the order run. */
  shares: number[];
}

/** One timed window of an operation, and the raw store loop right after it. */
type Window = Omit<Run, "p50" | "p99" | "shares"> & { latencies: number[] };

export async function benchLoad(options: LoadOptions = {}): Promise<string[]> {
  // The first run is sequential: its requests, cut per operation, are what the raw loop replays.
  const levels = [1, ...(options.levels ?? [8, 32]).filter((level) => level !== 1)];
  const operations = options.operations ?? Number(process.env.BENCH_LOAD_OPERATIONS ?? 160);
  const rounds = options.rounds ?? Number(process.env.BENCH_LOAD_ROUNDS ?? 5);
  const clock = new TestClock();
  // The sweep would pick up what the raw loop replays of the outbox's writes (their `outboxDue` is old): not during the run.
  const system = await startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, clock, sweep: { intervalMs: 3_600_000, graceMs: 10_000 } });
  try {
    const api = client(system.url);
    const log = new RequestLog(system);
    log.recording = false;
    const totpUsers = await enroll(api, clock, operations, true);
    const plainUsers = await enroll(api, clock, Math.max(...levels), false);
    let replayed: { verifications: Recorded[][]; logins: Recorded[][] } | undefined;

    /** Times `run` with the store requests of `handler` recorded, then lets the held consumers finish. */
    const recorded = async (handler: string, run: () => Promise<{ latencies: number[]; seconds: number }>) => {
      log.clear();
      log.recording = true;
      const timed = await withConsumersHeld(system, run);
      const requests = log.of(handler);
      await system.bus.idle();
      log.recording = false;
      return { timed, requests, total: log.total() };
    };

    /** Each operation once at `concurrency`: the application's window, then the raw loop on the same requests. */
    async function round(concurrency: number): Promise<[Window, Window]> {
      // A new TOTP step: each user's code of the last window was its step's one use.
      clock.startFreshStep();
      const challenges = new Array<string>(totpUsers.length);
      await drive(8, totpUsers.length, async (i) => {
        const login = await expectStatus(api.post("/v1/auth/login", { email: totpUsers[i]!.email, password: PASSWORD }), 200, "login with 2FA");
        challenges[i] = login.challenge.id;
      });
      await system.bus.idle();

      const clockOffsetMs = clock.now().getTime() - Date.now();
      const verified = await recorded(VERIFY, () => fromClients(system.url, concurrency, totpUsers.map((user, i) => ({
        path: `/v1/auth/challenges/${challenges[i]}/totp`, body: {}, totp: { secret: user.secret, clockOffsetMs }, status: 201,
      }))));
      const verificationSequences = replayed?.verifications ?? perOperation(verified.requests, totpUsers.length);
      const verification = withShare({
        operation: "TOTP verification", concurrency, ...windowRate(verified.timed),
        storeRequests: verified.requests.length / totpUsers.length, allRequests: verified.total / totpUsers.length,
        rawPerSecond: await rawRate(system, verificationSequences, concurrency),
      });

      const loggedIn = await recorded(LOGIN, () => fromClients(system.url, concurrency, Array.from({ length: operations }, (_, i) => ({
        path: "/v1/auth/login", body: { email: plainUsers[i % plainUsers.length]!.email, password: PASSWORD }, status: 201,
      }))));
      replayed ??= { verifications: verificationSequences, logins: perOperation(loggedIn.requests, operations) };
      const login = withShare({
        operation: "login (2FA off → session)", concurrency, ...windowRate(loggedIn.timed),
        storeRequests: loggedIn.requests.length / operations, allRequests: loggedIn.total / operations,
        rawPerSecond: await rawRate(system, replayed.logins, concurrency),
      });
      await system.bus.idle();
      return [verification, login];
    }

    const runs: Run[] = [];
    for (const concurrency of levels) {
      const windows: [Window, Window][] = [];
      for (let i = 0; i < rounds; i++) windows.push(await round(concurrency));
      runs.push(medianOf(windows.map(([verification]) => verification)), medianOf(windows.map(([, login]) => login)));
    }
    return report(runs, operations, rounds);
  } finally {
    await system.stop();
  }
}

function windowRate(run: { latencies: number[]; seconds: number }) {
  return { perSecond: run.latencies.length / run.seconds, latencies: run.latencies };
}

/** What the application's window reached of the raw loop run right after it: per s × store requests per op, in % of the raw rate. */
function withShare(window: Omit<Window, "share" | "shares">): Window {
  return { ...window, share: (100 * window.perSecond * window.storeRequests) / window.rawPerSecond };
}

/**
 * The rounds of one operation at one concurrency: the median rate of the application, the median
 * raw rate, and the median of the rounds' shares (each taken from a window and its own raw loop);
 * percentiles over every round's latencies.
 */
function medianOf(windows: Window[]): Run {
  const latencies = windows.flatMap((window) => window.latencies).sort((a, b) => a - b);
  return {
    operation: windows[0]!.operation, concurrency: windows[0]!.concurrency,
    perSecond: median(windows.map((window) => window.perSecond)),
    p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
    storeRequests: median(windows.map((window) => window.storeRequests)),
    allRequests: median(windows.map((window) => window.allRequests)),
    rawPerSecond: median(windows.map((window) => window.rawPerSecond)),
    share: median(windows.map((window) => window.share)),
    shares: windows.map((window) => window.share),
  };
}

/** A sequential run's requests, cut into each operation's own (the run sent them one operation after another). */
function perOperation(requests: Recorded[], operations: number): Recorded[][] {
  const each = requests.length / operations;
  if (!Number.isInteger(each)) throw new Error(`${operations} operations sent ${requests.length} requests: not the same number each`);
  return Array.from({ length: operations }, (_, i) => requests.slice(i * each, (i + 1) * each));
}

function report(runs: Run[], operations: number, rounds: number): string[] {
  const lines = [
    `${operations} operations per window, ${rounds} rounds per concurrency (medians; the raw loop runs right after each window of the application, and the share is each round's own, then their median), sent over HTTP on 127.0.0.1 by clients in a worker thread; server, handlers and dynalite share the main thread; the event consumers (other functions on AWS) are held until each timed run is over.`,
    "The raw store rate replays each operation's request-path requests (each condition ORed with one that holds, so that they can repeat) on the same dynalite, same concurrency.",
    "",
    "| operation | clients | per s | p50 ms | p99 ms | DynamoDB requests per op (request path) | with consumers | raw store requests/s | per s × requests per op, % of raw: median (each round) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of runs) {
    lines.push(`| ${r.operation} | ${r.concurrency} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.storeRequests.toFixed(1)} | ${r.allRequests.toFixed(1)} | ${r.rawPerSecond.toFixed(0)} | ${r.share.toFixed(0)}% (${r.shares.map((share) => share.toFixed(0)).join(", ")}) |`);
  }
  lines.push("", "Targets: ≤ 5 DynamoDB requests per TOTP verification; at 32 clients, verifications/s × requests per verification ≥ 70% of the raw rate.");
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await benchLoad()) console.log(line);
}
