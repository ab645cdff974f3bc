import type { WebAuthnChallenge, WebAuthnChallenges } from "@twofactor/core";
import { keys } from "./keys.js";
import { epochSeconds, type Table } from "./table.js";

/** Keyed by the SHA-256 of the challenge value; consumed by a conditional delete, so it works once. */
export class WebAuthnChallengesStore implements WebAuthnChallenges {
  constructor(private readonly table: Table) {}

  async create(challenge: WebAuthnChallenge): Promise<void> {
    const { challengeHash, expiresAt, ...rest } = challenge;
    await this.table.put(
      { ...keys.webauthnChallenge(challengeHash), ...rest, expiresAtIso: expiresAt, expiresAt: epochSeconds(expiresAt) },
      "attribute_not_exists(pk)",
    );
  }

  async find(challengeHash: string, now: Date): Promise<WebAuthnChallenge | undefined> {
    const item = await this.table.get(keys.webauthnChallenge(challengeHash));
    if (!item || (item.expiresAt as number) <= epochSeconds(now)) return undefined;
    return {
      challengeHash,
      ceremony: item.ceremony as WebAuthnChallenge["ceremony"],
      userId: item.userId as string,
      ...(item.boundTo ? { boundTo: item.boundTo as string } : {}),
      expiresAt: item.expiresAtIso as string,
    };
  }

  async consume(challengeHash: string): Promise<boolean> {
    return this.table.delete(keys.webauthnChallenge(challengeHash), "attribute_exists(pk)");
  }
}
