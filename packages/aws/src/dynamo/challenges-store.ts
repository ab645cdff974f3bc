import type { Challenge, Challenges } from "@twofactor/core";
import { keys } from "./keys.js";
import { epochSeconds, type Table } from "./table.js";

export class ChallengesStore implements Challenges {
  constructor(private readonly table: Table) {}

  async create(challenge: Challenge): Promise<void> {
    const { expiresAt, ...rest } = challenge;
    await this.table.put({ ...keys.challenge(challenge.idHash), ...rest, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) });
  }

  async find(idHash: string, now: Date): Promise<Challenge | undefined> {
    const item = await this.table.get(keys.challenge(idHash));
    if (!item || (item.expiresAt as number) <= epochSeconds(now)) return undefined;
    return {
      idHash,
      userId: item.userId as string,
      methods: item.methods as Challenge["methods"],
      createdAt: item.createdAt as string,
      expiresAt: item.expiresAtIso as string,
    };
  }

  async consume(idHash: string): Promise<boolean> {
    return this.table.delete(keys.challenge(idHash), "attribute_exists(pk)");
  }
}
