/** One count of a custom metric: its name and its dimensions. */
export interface MetricCount {
  name: string;
  dimensions: Record<string, string>;
}

/** Where the lines go and whether they are written: Powertools' variables, read as Powertools Metrics reads them. */
export interface MetricsEnvironment {
  POWERTOOLS_METRICS_NAMESPACE?: string;
  POWERTOOLS_SERVICE_NAME?: string;
  POWERTOOLS_METRICS_DISABLED?: string;
  POWERTOOLS_DEV?: string;
}

const TRUTHY = /^\s*(1|true|yes|on)\s*$/i;

/** POWERTOOLS_METRICS_DISABLED decides; unset, POWERTOOLS_DEV does (the local runtime turns metrics off). */
export function metricsDisabled(env: MetricsEnvironment): boolean {
  return env.POWERTOOLS_METRICS_DISABLED !== undefined ? TRUTHY.test(env.POWERTOOLS_METRICS_DISABLED) : TRUTHY.test(env.POWERTOOLS_DEV ?? "");
}

/**
 * CloudWatch embedded metric format: one JSON line per metric and set of dimensions among `counts`,
 * its value the number of alike counts (a fan-out page owes hundreds), dimension `service` first as
 * Powertools writes it, so that the dashboard's searches find them.
 */
export function emfLines(counts: readonly MetricCount[], env: MetricsEnvironment, timestamp: number, defaultService: string): string[] {
  const service = env.POWERTOOLS_SERVICE_NAME ?? defaultService;
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE ?? "twofactor/local";
  const counted = new Map<string, { count: MetricCount; value: number }>();
  for (const count of counts) {
    const key = JSON.stringify([count.name, count.dimensions]);
    const seen = counted.get(key);
    if (seen) seen.value++;
    else counted.set(key, { count, value: 1 });
  }
  return [...counted.values()].map(({ count: { name, dimensions }, value }) => {
    const all = { service, ...dimensions };
    return JSON.stringify({
      _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(all)], Metrics: [{ Name: name, Unit: "Count" }] }] },
      ...all,
      [name]: value,
    });
  });
}

/**
 * Writes the lines to stdout itself, as Powertools does: Lambda's JSON log format would wrap a
 * console.log line, and EMF must be the line.
 */
export function writeEmf(lines: readonly string[]): void {
  for (const line of lines) process.stdout.write(`${line}\n`);
}
