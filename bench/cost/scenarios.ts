import { startLocalRuntime, type LocalRuntime } from "@twofactor/local";
import { client, type Client } from "../../tests/support/api.js";
import { totpCode } from "../../tests/support/authenticator.js";
import { TestClock } from "../../tests/support/clock.js";
import { criticalPath, Meter, type StoreCall, type Usage } from "./meter.js";

const PASSWORD = "correct horse battery staple";

/** One HTTP request of an operation, and what its function asked of the table. */
export interface Step {
  name: string;
  handler: string;
  /** The function's own table requests (the request path), and how many of them went one after another. */
  store: StoreCall[];
  roundTripsInSeries: number;
}

/** What one repetition of an operation made AWS do, the consumers of its events included. */
export interface Measured {
  steps: Step[];
  usage: Usage;
  /** Per consumer: messages its queue took, and the batches its function was invoked with. */
  consumers: Map<string, { messages: number; batches: number }>;
  kmsRequests: number;
  /** Events that mail someone when notifications are on (a new device remembered). */
  mails: number;
  /** Records the table's stream handed its consumer (the outbox relay), when there is one. */
  streamRecords?: number;
}

export interface Scenario {
  name: string;
  repetitions: Measured[];
}

interface User { email: string; secret: string; token: string; deviceToken: string }

/**
 * Runs each operation the cost model prices, `repetitions` times, one after another on a fresh
 * embedded runtime with OWASP's argon2 parameters: the TOTP login (password, then code), the login
 * of a trusted device, an authenticated `GET /v1/me`, and a TOTP login that remembers its device.
 * The consumers of each repetition's events are held while its requests run (on AWS they are other
 * functions), then run to the end before the next repetition, metered too.
 */
export interface ScheduleRun {
  rru: number;
  roundTrips: number;
  logBytes: number;
  metrics: number;
}

export async function runScenarios(repetitions = Number(process.env.BENCH_COST_REPETITIONS ?? 20)): Promise<{ scenarios: Scenario[]; scheduleRuns: Map<string, ScheduleRun> }> {
  const clock = new TestClock();
  const system = await startLocalRuntime({
    bus: { attempts: 3, baseDelayMs: 20 }, clock, sweep: { intervalMs: 3_600_000, graceMs: 10_000 }, env: { NETWORK_FAILURE_LIMIT: "1000000" },
  });
  const meter = new Meter(system);
  const restoreStdout = meter.captureLogs();
  try {
    const api = client(system.url);
    const users = await setUp(api, clock, repetitions, system);
    const scenarios: Scenario[] = [];
    const measure = async (name: string, run: (user: User, step: (name: string, handler: string, request: () => Promise<unknown>) => Promise<void>) => Promise<void>) => {
      clock.startFreshStep();
      const measured: Measured[] = [];
      for (const user of users) {
        const kmsBefore = total(system.kms.requests);
        const consumersBefore = snapshot(system);
        const streamBefore = system.tableStream.stats.records;
        const steps: Step[] = [];
        meter.start();
        system.bus.pauseDeliveries();
        await run(user, async (stepName, handler, request) => {
          const from = meter.peek().store.length;
          await request();
          const store = meter.peek().store.slice(from).filter((call) => call.handler === handler);
          steps.push({ name: stepName, handler, store, roundTripsInSeries: criticalPath(store) });
        });
        system.bus.resumeDeliveries();
        await system.bus.idle();
        const usage = meter.stop();
        const consumers = delta(consumersBefore, snapshot(system));
        measured.push({
          steps, usage, consumers, kmsRequests: total(system.kms.requests) - kmsBefore,
          mails: usage.putEvents.reduce((sum, call) => sum + call.mailed, 0),
          streamRecords: system.tableStream.stats.records - streamBefore,
        });
      }
      scenarios.push({ name, repetitions: measured });
    };

    await measure("TOTP login (password, then code)", async (user, step) => {
      let challenge = "";
      await step("POST /v1/auth/login (password → challenge)", "functions/http/login.handler", async () => {
        challenge = (await expectStatus(api.post("/v1/auth/login", { email: user.email, password: PASSWORD }), 200)).challenge.id;
      });
      await step("POST /v1/auth/challenges/{id}/totp (code → session)", "functions/http/challenge-totp.handler", async () => {
        await expectStatus(api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(user.secret, clock.now()) }), 201);
      });
    });
    await measure("trusted-device login", async (user, step) => {
      await step("POST /v1/auth/login (trusted device → session)", "functions/http/login.handler", async () => {
        await expectStatus(api.call("POST", "/v1/auth/login", { body: { email: user.email, password: PASSWORD }, headers: { "x-device-token": user.deviceToken } }), 201);
      });
    });
    await measure("GET /v1/me", async (user, step) => {
      await step("GET /v1/me", "functions/http/get-me.handler", async () => {
        await expectStatus(api.get("/v1/me", user.token), 200);
      });
    });
    await measure("TOTP login remembering a new device", async (user, step) => {
      let challenge = "";
      await step("POST /v1/auth/login (password → challenge)", "functions/http/login.handler", async () => {
        challenge = (await expectStatus(api.post("/v1/auth/login", { email: user.email, password: PASSWORD }), 200)).challenge.id;
      });
      await step("POST /v1/auth/challenges/{id}/totp (code, remember → session, device)", "functions/http/challenge-totp.handler", async () => {
        await expectStatus(api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(user.secret, clock.now()), rememberDevice: true }), 201);
      });
    });
    // At rest: one run of each scheduled function with nothing to do.
    const scheduleRuns = new Map<string, ScheduleRun>();
    for (const [handler, run] of [["functions/events/outbox-sweep.handler", system.sweepOutbox], ["functions/events/reset-timers.handler", system.sweepResets]] as const) {
      meter.start();
      await run();
      const usage = meter.stop();
      const calls = usage.store.filter((call) => call.handler === handler);
      scheduleRuns.set(handler, {
        rru: calls.reduce((sum, call) => sum + call.rru, 0), roundTrips: criticalPath(calls),
        logBytes: usage.logBytes.get(handler) ?? 0, metrics: usage.metrics.size,
      });
    }
    return { scenarios, scheduleRuns };
  } finally {
    await system.stop();
    restoreStdout();
  }
}

/** Users with TOTP on and a remembered device, each signed in. */
async function setUp(api: Client, clock: TestClock, count: number, system: LocalRuntime): Promise<User[]> {
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const email = `cost-${i}-${Date.now()}@example.com`;
    await expectStatus(api.post("/v1/users", { email, password: PASSWORD, name: "Cost" }), 201);
    const token = (await expectStatus(api.post("/v1/auth/login", { email, password: PASSWORD }), 201)).session.token;
    const secret = (await expectStatus(api.post("/v1/me/totp", undefined, token), 201)).secret;
    await expectStatus(api.post("/v1/me/totp/activate", { code: totpCode(secret, clock.now()) }, token), 200);
    users.push({ email, secret, token, deviceToken: "" });
  }
  clock.startFreshStep();
  for (const user of users) {
    const challenge = (await expectStatus(api.post("/v1/auth/login", { email: user.email, password: PASSWORD }), 200)).challenge.id;
    const done = await expectStatus(api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(user.secret, clock.now()), rememberDevice: true }), 201);
    Object.assign(user, { token: done.session.token, deviceToken: done.deviceToken });
  }
  await system.bus.idle();
  return users;
}

interface Answer { session: { token: string }; secret: string; challenge: { id: string }; deviceToken: string }

async function expectStatus(res: Promise<{ status: number; body: unknown }>, status: number): Promise<Answer> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Answer;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

function snapshot(system: LocalRuntime): Map<string, { messages: number; batches: number }> {
  return new Map([...system.bus.stats.consumers].map(([name, counts]) => [name, { ...counts }]));
}

function delta(before: Map<string, { messages: number; batches: number }>, after: Map<string, { messages: number; batches: number }>) {
  return new Map([...after].map(([name, counts]) => [name, {
    messages: counts.messages - (before.get(name)?.messages ?? 0), batches: counts.batches - (before.get(name)?.batches ?? 0),
  }]).filter(([, counts]) => (counts as { messages: number }).messages > 0) as [string, { messages: number; batches: number }][]);
}
