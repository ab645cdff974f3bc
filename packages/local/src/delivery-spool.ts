import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { EventBridgeEvent } from "aws-lambda";

export interface SpooledDelivery {
  id: string;
  consumer: string;
  envelope: EventBridgeEvent<string, unknown>;
}

type Line<T> = { queued: T } | { done: string };

/**
 * The local bus's journal, so that an event it accepted survives a crash as it would in
 * EventBridge: each delivery is appended when queued and marked when delivered or dead-lettered.
 * A restart replays what was queued and never finished (at least once), then compacts the file.
 * The local table stream keeps its records in one too.
 */
export class DeliverySpool<T extends { id: string } = SpooledDelivery> {
  constructor(private readonly file: string) {}

  recover(): T[] {
    if (!existsSync(this.file)) return [];
    const pending = new Map<string, T>();
    for (const text of readFileSync(this.file, "utf8").split("\n")) {
      const line = parse<T>(text);
      if (line && "queued" in line) pending.set(line.queued.id, line.queued);
      if (line && "done" in line) pending.delete(line.done);
    }
    writeFileSync(this.file, [...pending.values()].map((delivery) => JSON.stringify({ queued: delivery }) + "\n").join(""));
    return [...pending.values()];
  }

  queued(delivery: T): void {
    appendFileSync(this.file, JSON.stringify({ queued: delivery } satisfies Line<T>) + "\n");
  }

  done(id: string): void {
    appendFileSync(this.file, JSON.stringify({ done: id } satisfies Line<T>) + "\n");
  }
}

/** A line cut short by a crash is skipped: its delivery was never acknowledged to anyone. */
function parse<T>(text: string): Line<T> | undefined {
  try {
    return text.trim() ? (JSON.parse(text) as Line<T>) : undefined;
  } catch {
    return undefined;
  }
}
