/** A request to the table: when it went out and when its answer came back. */
export interface Timed {
  start: number;
  end: number;
}

/**
 * Round trips one after another: the longest chain of requests each sent after the one before it
 * answered. Requests that overlap (sent together) count once.
 */
export function roundTripsInSeries(calls: readonly Timed[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= sorted[i]!.start) before = Math.max(before, depth[j]!);
    depth.push(before + 1);
  }
  return Math.max(0, ...depth);
}
