/**
 * `npm run bench`: latency of each user-facing operation over real HTTP on the embedded runtime,
 * and what it costs in AWS calls (DynamoDB requests by type, PutEvents); then the outbox sweep
 * (bench/sweep.ts) and the cost model (bench/cost.ts). Prints tables; never passes or fails on time. Figures are for this machine and
 * dynalite, not for AWS.
 */
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { startLocalRuntime } from "@twofactor/local";
import { client } from "../tests/support/api.js";
import { totpCode } from "../tests/support/authenticator.js";
import { TestClock } from "../tests/support/clock.js";
import { benchBundles } from "./bundles.js";
import { benchEnforcement } from "./enforcement.js";
import { benchKms } from "./kms.js";
import { benchLoad } from "./load.js";

const N = Number(process.env.BENCH_ITERATIONS ?? 30);
const PASSWORD = "correct horse battery staple";

// Every wrong answer here comes from 127.0.0.1: lift the per-network budget so the bench measures checks, not 429s.
// The wall clock until the enforcement part, which moves it on to a step no user has used yet.
const clock = new TestClock();
const system = await startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, clock, env: { NETWORK_FAILURE_LIMIT: "1000000" } });
const api = client(system.url);

const dynamoCalls = new Map<string, number>();
system.runtime.table.client.middlewareStack.add(
  (next, context) => async (args) => {
    dynamoCalls.set(context.commandName ?? "?", (dynamoCalls.get(context.commandName ?? "?") ?? 0) + 1);
    return next(args);
  },
  { step: "initialize", name: "benchCallCounter" },
);

interface Row { operation: string; p50: number; p95: number; max: number; dynamo: string; putEvents: number }
const rows: Row[] = [];

async function measure(operation: string, run: (i: number) => Promise<unknown>): Promise<void> {
  await system.bus.idle();
  dynamoCalls.clear();
  const putEventsBefore = system.bus.stats.putEventsCalls;
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  await system.bus.idle();
  times.sort((a, b) => a - b);
  const perOp = [...dynamoCalls].filter(([name]) => !name.startsWith("Scan")).map(([name, count]) => `${name.replace("Command", "")} ${(count / N).toFixed(1)}`);
  rows.push({
    operation,
    p50: times[Math.floor(N * 0.5)]!,
    p95: times[Math.min(N - 1, Math.floor(N * 0.95))]!,
    max: times[N - 1]!,
    dynamo: perOp.join(", "),
    putEvents: (system.bus.stats.putEventsCalls - putEventsBefore) / N,
  });
}

const users: { email: string; token: string; secret?: string }[] = [];
await measure("POST /v1/users (sign-up, argon2id)", async (i) => {
  const email = `bench-${i}-${Date.now()}@example.com`;
  await api.post("/v1/users", { email, password: PASSWORD, name: "Bench" });
  users.push({ email, token: "" });
});
await measure("POST /v1/auth/login (2FA off → session)", async (i) => {
  const res = await api.post("/v1/auth/login", { email: users[i]!.email, password: PASSWORD });
  users[i]!.token = res.body.session.token;
});
await measure("GET /v1/me", async (i) => api.get("/v1/me", users[i]!.token));
// The two refusals must cost alike, so that timing does not tell which emails have accounts.
await measure("POST /v1/auth/login (wrong password → 401)", async (i) =>
  api.post("/v1/auth/login", { email: users[i]!.email, password: "not the right password" }));
await measure("POST /v1/auth/login (unknown email → 401)", async (i) =>
  api.post("/v1/auth/login", { email: `nobody-${i}@example.com`, password: "not the right password" }));
await measure("POST /v1/me/totp (enroll: seal + QR)", async (i) => {
  users[i]!.secret = (await api.post("/v1/me/totp", undefined, users[i]!.token)).body.secret;
});
await measure("POST /v1/me/totp/activate (+10 recovery codes)", async (i) =>
  api.post("/v1/me/totp/activate", { code: totpCode(users[i]!.secret!, new Date(Date.now() - 30_000)) }, users[i]!.token));
const challenges: string[] = [];
await measure("POST /v1/auth/login (2FA on → challenge)", async (i) => {
  const login = await api.post("/v1/auth/login", { email: users[i]!.email, password: PASSWORD });
  if (!login.body.challenge) throw new Error(`user ${i}: ${login.status} ${JSON.stringify(login.body)}`);
  challenges.push(login.body.challenge.id);
});
await measure("POST …/challenges/{id}/totp (verify code → session)", async (i) =>
  api.post(`/v1/auth/challenges/${challenges[i]}/totp`, { code: totpCode(users[i]!.secret!, new Date()) }));
const fresh: string[] = [];
for (const user of users) fresh.push((await api.post("/v1/auth/login", { email: user.email, password: PASSWORD })).body.challenge.id);
await measure("POST …/challenges/{id}/totp (wrong code, counted)", async (i) =>
  api.post(`/v1/auth/challenges/${fresh[i]}/totp`, { code: "000000" }));
await measure("GET /v1/me/security-events", async (i) => api.get("/v1/me/security-events?limit=50", users[i]!.token));
// Remember each user's device (with the next step's code: the current one was used above), then sign in with it.
const deviceTokens: string[] = [];
for (const user of users) {
  const id = (await api.post("/v1/auth/login", { email: user.email, password: PASSWORD })).body.challenge.id;
  const done = await api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(user.secret!, new Date(Date.now() + 30_000)), rememberDevice: true });
  deviceTokens.push(done.body.deviceToken);
}
await measure("POST /v1/auth/login (trusted device → session)", async (i) =>
  api.call("POST", "/v1/auth/login", { body: { email: users[i]!.email, password: PASSWORD }, headers: { "x-device-token": deviceTokens[i]! } }));

// Enforcement: the admin (users[0]) has TOTP on and signs in with it. Its device was remembered with
// the next step's code, and each step is accepted once: the clock moves on a step, and the admin
// uses the step after that.
clock.startFreshStep();
const adminChallenge = (await api.post("/v1/auth/login", { email: users[0]!.email, password: PASSWORD })).body.challenge.id;
const adminLogin = await api.post(`/v1/auth/challenges/${adminChallenge}/totp`, { code: totpCode(users[0]!.secret!, new Date(clock.now().getTime() + 30_000)) });
if (adminLogin.status !== 201) throw new Error(`the admin's sign-in: ${adminLogin.status} ${JSON.stringify(adminLogin.body)}`);
const admin = adminLogin.body.session;
const enforcementRows = await benchEnforcement(system, api, admin, Number(process.env.BENCH_TEAM_SIZE ?? 10_000));

await system.stop();
const kmsRows = await benchKms();
// Its own runtime, so that this bench's counters and users do not mix with the load's.
const loadLines = await benchLoad();

console.log(`\n${N} iterations each, sequential, over HTTP on 127.0.0.1 (node ${process.version}).\n`);
console.log("| operation | p50 ms | p95 ms | max ms | DynamoDB calls per op | PutEvents per op |");
console.log("| --- | ---: | ---: | ---: | --- | ---: |");
for (const r of rows) {
  console.log(`| ${r.operation} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.dynamo} | ${r.putEvents.toFixed(1)} |`);
}
console.log("\nDynamoDB calls include the audit consumer's writes (one PutItem per event); PutEvents are the outbox relay's, from the table's stream.");

console.log("\n| enforcement | figure |");
console.log("| --- | --- |");
for (const row of enforcementRows) console.log(row);

console.log("\n| KMS (hierarchical keyring, local KMS endpoint) | figure |");
console.log("| --- | --- |");
for (const row of kmsRows) console.log(row);

// Every function bundle's size and cold import (also alone: `npm run bench:bundles`).
for (const line of await benchBundles()) console.log(line);

console.log("\n## Load\n");
for (const line of loadLines) console.log(line);

// Each in a process of its own: the sweep on a fresh runtime; the cost model turns on the functions' logs and metrics to count them.
const run = (script: string) => promisify(execFile)(process.execPath, ["--import", "tsx", script], { maxBuffer: 64 * 1024 * 1024 });
console.log("\n## The outbox sweep\n");
console.log((await run("bench/sweep.ts")).stdout);
console.log((await run("bench/cost.ts")).stdout);
