import type { NetworkBudgets } from "@twofactor/core";
import { keys } from "./keys.js";
import { epochSeconds, type Table } from "./table.js";

/**
 * One item per network: failures within a fixed window that starts with the window's first counted
 * failure (`windowEndsAt`, epoch ms). The item expires with its window (TTL), so idle networks
 * cost nothing. Every count is a conditional write, so a burst cannot overdraw the limit.
 */
export class NetworkBudgetsStore implements NetworkBudgets {
  constructor(private readonly table: Table) {}

  async refusedFor(network: string, limit: number, now: Date): Promise<number> {
    const item = await this.table.get(keys.network(network));
    const endsAt = item?.windowEndsAt as number | undefined;
    if (!endsAt || endsAt <= now.getTime() || ((item?.failures as number | undefined) ?? 0) < limit) return 0;
    return Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
  }

  async countFailure(network: string, limit: number, windowSeconds: number, now: Date): Promise<number | undefined> {
    // Two writers may race to open a new window; the loser counts in the winner's window.
    for (let attempt = 0; attempt < 3; attempt++) {
      const counted = await this.table.update(keys.network(network), {
        add: { failures: 1 },
        condition: "windowEndsAt > :now AND failures < :limit",
        values: { ":now": now.getTime(), ":limit": limit },
      });
      if (counted) return counted.failures as number;
      const endsAt = now.getTime() + windowSeconds * 1000;
      const opened = await this.table.update(keys.network(network), {
        set: { failures: 1, windowEndsAt: endsAt, expiresAt: epochSeconds(new Date(endsAt)) },
        condition: "attribute_not_exists(windowEndsAt) OR windowEndsAt <= :now",
        values: { ":now": now.getTime() },
      });
      if (opened) return 1;
      if ((await this.refusedFor(network, limit, now)) > 0) return undefined;
    }
    return undefined;
  }

  async uncount(network: string): Promise<void> {
    await this.table.update(keys.network(network), { add: { failures: -1 }, condition: "failures > :zero", values: { ":zero": 0 } });
  }
}
