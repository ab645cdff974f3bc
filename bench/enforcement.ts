/**
 * The enforcement figures of `npm run bench`: the `PUT …/enforcement` latency, and the fan-out's
 * members per second on a large team beside the store's raw conditional-update rate measured in the
 * same run, at the same concurrency, on the same table. Prints; never passes or fails on time.
 */
import { performance } from "node:perf_hooks";
import { keys } from "@twofactor/aws";
import type { LocalRuntime } from "@twofactor/local";
import type { Client } from "../tests/support/api.js";
import { seedMembers } from "../tests/support/seed.js";

/** The consumers of what the fan-out publishes, beside the fan-out's own continuations. */
const FOLLOWERS = ["audit-log", "notifier", "forget-devices", "team-membership"];

export async function benchEnforcement(system: LocalRuntime, api: Client, admin: { token: string }, teamSize: number): Promise<string[]> {
  const { table, deps } = system.runtime;
  const concurrency = deps.policy.rolloutConcurrency;
  const put = (team: string, enabled: boolean) => api.call("PUT", `/v1/teams/${team}/enforcement`, { body: { enabled }, token: admin.token });
  const newTeam = async (name: string) => (await api.post("/v1/teams", { name }, admin.token)).body.team.id as string;

  // PUT latency, on a small team (the PUT does not depend on the team's size: one conditional write).
  const small = await newTeam("Small");
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await put(small, i % 2 === 0);
    latencies.push(performance.now() - started);
    await system.bus.idle();
  }
  latencies.sort((a, b) => a - b);

  // The fan-out on `teamSize` members, half of them without 2FA.
  const team = await newTeam("Large");
  await seedMembers(system, team, teamSize, (i) => i % 2 === 0);
  // The raw rate: conditional UpdateItems on distinct items, `concurrency` at a time, on the table as the fan-out finds it.
  const rawCount = Math.min(teamSize, 5000);
  let next = 0;
  const rawStarted = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < rawCount) {
      const i = next++;
      await table.update(keys.factors(`usr_raw${i}`), { set: { probe: 1 }, condition: "attribute_not_exists(probe)" });
    }
  }));
  const rawRate = rawCount / ((performance.now() - rawStarted) / 1000);

  let completed = 0;
  let rolloutDone = () => {};
  const done = new Promise<void>((resolve) => { rolloutDone = resolve; });
  const calls = new Map<string, number>();
  system.runtime.table.client.middlewareStack.add((nextHandler, context) => async (args) => {
    calls.set(context.commandName ?? "?", (calls.get(context.commandName ?? "?") ?? 0) + 1);
    const out = await nextHandler(args);
    const attributes = (out.output as { Attributes?: Record<string, unknown> }).Attributes;
    if (attributes?.id === team && attributes.rolloutState === "complete" && !completed) {
      completed = performance.now();
      rolloutDone();
    }
    return out;
  }, { step: "initialize", name: "benchFanOut" });
  const putEventsBefore = system.bus.stats.putEventsCalls;
  // What the flagged members' events set off (their log entries, their mails) runs in other functions on AWS: held until the rollout is done.
  system.bus.holdConsumers(FOLLOWERS);
  const started = performance.now();
  const large = await put(team, true);
  const putMs = performance.now() - started;
  await done;
  system.bus.resumeDeliveries();
  await system.bus.idle();
  system.runtime.table.client.middlewareStack.remove("benchFanOut");
  const seconds = (completed - started) / 1000;
  const rate = (teamSize + 1) / seconds;
  const rollout = (await api.get(`/v1/teams/${team}/enforcement`, admin.token)).body.enforcement.rollout;
  const perMember = [...calls].map(([name, count]) => `${name.replace("Command", "")} ${(count / (teamSize + 1)).toFixed(2)}`).join(", ");

  return [
    `| PUT /v1/teams/{id}/enforcement, small team (20 ×) | p50 ${latencies[10]!.toFixed(1)} ms, p95 ${latencies[18]!.toFixed(1)} ms |`,
    `| PUT /v1/teams/{id}/enforcement, ${teamSize} members | ${putMs.toFixed(1)} ms (status ${large.status}) |`,
    `| raw conditional UpdateItem, ${concurrency} at a time | ${rawRate.toFixed(0)} updates/s |`,
    `| fan-out, ${teamSize + 1} members (half without 2FA), page ${deps.policy.rolloutPageSize}, ${concurrency} at a time | ${rate.toFixed(0)} members/s (${(100 * rate / rawRate).toFixed(0)}% of the raw rate), ${seconds.toFixed(1)} s |`,
    `| rollout at the end | ${JSON.stringify(rollout)} |`,
    `| DynamoDB calls per member until idle (fan-out + audit consumer) | ${perMember} |`,
    `| PutEvents calls until idle | ${system.bus.stats.putEventsCalls - putEventsBefore} |`,
  ];
}
