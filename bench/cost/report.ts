import { execFile } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { batchingOf, priceAtRest, priceOperation, type Batching, type Line } from "./model.js";
import { EXAMPLE_PRODUCTION_SETTINGS } from "../../infra/stages.js";
import { ASSUMPTIONS, PRICES, PRICES_DATE } from "./prices.js";
import { runScenarios } from "./scenarios.js";
import type { Census } from "./template-census.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** What `prod` needs to synthesize (stages.ts refuses it without): made-up values, nothing is deployed. */

/**
 * The environment as it was before any runtime started: a runtime sets its relying party's origin
 * (http://localhost:<port>) while it runs, and `prod` refuses to synthesize with an http:// origin.
 */
const ENVIRONMENT = { ...process.env };

/** Each stage synthesized in a process of its own (SST makes one app per process). */
async function census(stage: string, env: Record<string, string> = {}): Promise<Census> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/cost/template-census.ts", stage], {
    cwd: ROOT, env: { ...ENVIRONMENT, ...env }, maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Census;
}

const usd = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);
const qty = (n: number) => (n === 0 ? "0" : n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n >= 0.001 ? n.toFixed(4) : n.toExponential(2));
const sum = (lines: Line[]) => lines.reduce((total, l) => total + l.perMillion, 0);

/** The cost model's printout: prices, assumptions, each operation's lines, round trips, and a month at rest. */
export async function costReport(extraBatching: Batching[] = []): Promise<string[]> {
  // The two synths one after the other: each builds the console's files into the same folder.
  const synths = census("dev").then(async (dev) => [dev, await census("prod", EXAMPLE_PRODUCTION_SETTINGS)] as const);
  const [{ scenarios, scheduleRuns }, [dev, prod]] = await Promise.all([runScenarios(), synths]);
  const batching = batchingOf(extraBatching);
  const out: string[] = [];
  out.push(`\n## Cost model\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "?"} (load average ${loadavg()[0]!.toFixed(1)}), node ${process.version}: every request the stand-ins and the local bus saw, priced at us-east-1 list prices of ${PRICES_DATE}.\n`);
  out.push("| service | unit | price |", "| --- | --- | ---: |");
  for (const price of Object.values(PRICES)) out.push(`| ${price.service} | ${price.unit} | $${price.usd < 0.01 ? price.usd.toPrecision(3) : price.usd.toFixed(2)} |`);
  out.push("", "Assumed where nothing local can measure it:", "", "| assumption | value |", "| --- | ---: |");
  for (const [name, value] of Object.entries(ASSUMPTIONS)) out.push(`| ${name} | ${value} |`);
  out.push("", "Consumers at scale (events per invocation: the configured batch where a batching window lets it fill, else one):", "",
    "| consumer | events per invocation | measured here (one login at a time) |", "| --- | ---: | ---: |");
  for (const [name, b] of batching) {
    const seen = scenarios.flatMap((s) => s.repetitions).reduce((acc, m) => {
      const counts = m.consumers.get(name);
      return counts ? { messages: acc.messages + counts.messages, batches: acc.batches + counts.batches } : acc;
    }, { messages: 0, batches: 0 });
    out.push(`| ${name} | ${b.batch} | ${seen.batches ? (seen.messages / seen.batches).toFixed(1) : "—"} |`);
  }

  const edge = { wafLogsEveryRequest: prod.wafLogsEveryRequest, traced: prod.tracedFunctions > 0 };
  const totals: string[] = ["", "| operation | per million, without the edge | with the edge (CloudFront, WAF, X-Ray) |", "| --- | ---: | ---: |"];
  for (const scenario of scenarios) {
    const lines = priceOperation(scenario, batching, edge);
    const service = lines.filter((l) => !l.edge);
    out.push("", `### ${scenario.name}: per operation, and per million (${scenario.repetitions.length} measured)\n`, "| item | per operation | unit price | per million |", "| --- | ---: | ---: | ---: |");
    for (const l of lines) out.push(`| ${l.edge ? "*edge:* " : ""}${l.item} | ${qty(l.quantity)} | $${l.price.usd.toPrecision(3)} | ${usd(l.perMillion)} |`);
    out.push(`| **total without the edge** | | | **${usd(sum(service))}** |`, `| **total with the edge** | | | **${usd(sum(lines))}** |`);
    totals.push(`| ${scenario.name} | ${usd(sum(service))} | ${usd(sum(lines))} |`);
  }
  out.push(...totals);

  out.push("", "### Round trips to DynamoDB in the request path\n", "| step | requests | in series (critical path) |", "| --- | ---: | ---: |");
  const seen = new Set<string>();
  for (const scenario of scenarios) {
    for (const [i, step] of scenario.repetitions[0]!.steps.entries()) {
      if (seen.has(step.name)) continue;
      seen.add(step.name);
      const reps = scenario.repetitions.map((m) => m.steps[i]!);
      const requests = reps.reduce((n, s) => n + s.store.length, 0) / reps.length;
      const series = Math.max(...reps.map((s) => s.roundTripsInSeries));
      const kinds = [...new Set(reps[0]!.store.map((c) => c.command))].map((command) => `${command} ${reps[0]!.store.filter((c) => c.command === command).length}`).join(", ");
      out.push(`| ${step.name} | ${requests.toFixed(1)} (${kinds}) | ${series} |`);
    }
  }

  for (const stage of [dev, prod]) {
    const lines = priceAtRest(stage, scheduleRuns);
    out.push("", `### A month at rest, stage \`${stage.stage}\` (${stage.resources} resources, ${stage.functions} functions)\n`, "| item | quantity | unit price | a month |", "| --- | ---: | ---: | ---: |");
    for (const l of lines.filter((x) => x.quantity > 0)) out.push(`| ${l.item} | ${qty(l.quantity)} | $${l.price.usd.toPrecision(3)} | ${usd(l.perMillion)} |`);
    out.push(`| **total** | | | **${usd(sum(lines))}** |`);
  }
  out.push("", "Storage (the table, its backups, logs, the archive) is billed by the GB and is near zero for a small user base; it is left out.");
  return out;
}
