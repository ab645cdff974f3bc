/**
 * `npm run bench:sweep`: the outbox sweep draining a backlog of BENCH_BACKLOG (10,000) events that
 * EventBridge had refused, beside the raw PutEvents rate of the same publisher on the same local bus
 * (the same number of events, 10 a call, as many calls at once as the publisher makes). Consumers
 * are held meanwhile, as they run elsewhere on AWS. Prints; never passes or fails on time.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseEvent, type DomainEvent } from "@twofactor/events";
import { outboxBacklog, publisher } from "@twofactor/functions/composition";
import { startLocalRuntime } from "@twofactor/local";

const COUNT = Number(process.env.BENCH_BACKLOG ?? 10_000);
// The runtime's own timer sweep stays off: only the drain measured here publishes the backlog.
const system = await startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, sweep: { intervalMs: 3_600_000, graceMs: 10_000 } });
system.bus.pauseDeliveries();

const events = (): DomainEvent[] => Array.from({ length: COUNT }, () => parseEvent("LoginFailed", {
  eventId: randomUUID(), occurredAt: new Date(Date.now() - 60_000).toISOString(), actor: "usr_bench", userId: "usr_bench", stage: "password", method: "password",
}));

const rawStarted = performance.now();
const refusedRaw = await publisher().publishEach(events());
const rawRate = COUNT / ((performance.now() - rawStarted) / 1000);

const backlog = outboxBacklog();
const owed = events();
for (let i = 0; i < owed.length; i += 500) await backlog.add(owed.slice(i, i + 500).map((event) => ({ event })));
const started = performance.now();
const report = await backlog.drain(new Date());
const rate = report.published / ((performance.now() - started) / 1000);

console.log("| operation | result |\n| --- | --- |");
console.log(`| raw PutEvents, ${COUNT} events, 10 a call | ${rawRate.toFixed(0)} events/s (${refusedRaw.length} refused) |`);
console.log(`| outbox sweep, ${COUNT} owed events in ${backlog.shards} shards | ${rate.toFixed(0)} events/s (${(100 * rate / rawRate).toFixed(0)}% of the raw rate), ${report.published} published, ${report.skipped.length} skipped |`);
await system.stop();
