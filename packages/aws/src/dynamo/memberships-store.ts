import type { DomainEvent } from "@twofactor/events";
import type { FlagReason, JoinResult, Memberships, SecurityState, TeamEntry } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { equalsOrAbsent, TEAM_ATTRIBUTE_PREFIX, toSecurityState } from "./security-state.js";
import type { Table } from "./table.js";

/**
 * The user's side of their memberships: `team:<teamId>` maps on their FACTORS item, so that every
 * check reads the teams' holds with the factors, a flag is conditioned on the factors as read, and
 * a membership and the cap on them (`teamCount`) are one conditional write. Every write names the
 * membership by its `joinedAt`, and every change of a hold bumps `holdsVersion`.
 */
export class MembershipsStore implements Memberships {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async join(userId: string, entry: Pick<TeamEntry, "teamId" | "role" | "joinedAt">, maxTeams: number, owed: readonly DomainEvent[]): Promise<JoinResult> {
    const joined = await this.outbox.write(keys.factors(userId), {
      set: { [TEAM_ATTRIBUTE_PREFIX + entry.teamId]: { role: entry.role, joinedAt: entry.joinedAt, pending: true } },
      add: { teamCount: 1, holdsVersion: 1 },
      condition: "attribute_not_exists(#team) AND (attribute_not_exists(teamCount) OR teamCount < :max)",
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + entry.teamId },
      values: { ":max": maxTeams },
    }, owed);
    if (joined) return "joined";
    const state = toSecurityState(await this.table.get(keys.factors(userId)));
    return state.teams.some((team) => team.teamId === entry.teamId) ? "already_member" : "too_many_teams";
  }

  async match(userId: string, teamId: string, joinedAt: string, generation: number, enforcing: boolean): Promise<SecurityState | undefined> {
    // A newer generation stands; this one is written once, and a new one clears the last one's flag.
    // A pending entry has no generation yet, so its first match always lands.
    const written = await this.table.update(keys.factors(userId), {
      setPaths: ["#team.g = :g", "#team.#on = :on"],
      removePaths: ["#team.pending", "#team.flagged"],
      add: { holdsVersion: 1 },
      condition: "#team.joinedAt = :joinedAt AND (attribute_not_exists(#team.g) OR #team.g < :g)",
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + teamId, "#on": "on" },
      values: { ":joinedAt": joinedAt, ":g": generation, ":on": enforcing },
    });
    const state = toSecurityState(written ?? (await this.table.get(keys.factors(userId))));
    return state.teams.some((team) => team.teamId === teamId && team.joinedAt === joinedAt) ? state : undefined;
  }

  async matchFlagged(
    userId: string, teamId: string, joinedAt: string, generation: number, reason: FlagReason, factorsVersion: number, owed: readonly DomainEvent[],
  ): Promise<SecurityState | undefined> {
    const version = equalsOrAbsent("factorsVersion", ":version", factorsVersion);
    const written = await this.outbox.write(keys.factors(userId), {
      setPaths: ["#team.g = :g", "#team.#on = :true", "#team.flagged = :reason"],
      removePaths: ["#team.pending"],
      add: { holdsVersion: 1 },
      condition: `#team.joinedAt = :joinedAt AND (attribute_not_exists(#team.g) OR #team.g < :g) AND ${version.condition}`,
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + teamId, "#on": "on" },
      values: { ":joinedAt": joinedAt, ":g": generation, ":true": true, ":reason": reason, ...version.values },
    }, owed);
    return written && toSecurityState(written);
  }

  async flag(userId: string, teamId: string, joinedAt: string, generation: number, reason: FlagReason, factorsVersion: number, owed: readonly DomainEvent[]): Promise<boolean> {
    const version = equalsOrAbsent("factorsVersion", ":version", factorsVersion);
    const written = await this.outbox.write(keys.factors(userId), {
      setPaths: ["#team.flagged = :reason"],
      condition: `#team.joinedAt = :joinedAt AND #team.g = :g AND #team.#on = :true AND attribute_not_exists(#team.flagged) AND ${version.condition}`,
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + teamId, "#on": "on" },
      values: { ":joinedAt": joinedAt, ":g": generation, ":true": true, ":reason": reason, ...version.values },
    }, owed);
    return written !== undefined;
  }

  async leave(userId: string, teamId: string, joinedAt: string, cancelsReset: string | undefined, owed: readonly DomainEvent[]) {
    const reset = cancelsReset
      ? { condition: "pendingReset.id = :reset", values: { ":reset": cancelsReset }, remove: ["pendingReset"] }
      : { condition: "(attribute_not_exists(pendingReset) OR pendingReset.teamId <> :teamId)", values: { ":teamId": teamId }, remove: [] };
    const left = await this.outbox.write(keys.factors(userId), {
      remove: reset.remove,
      removePaths: ["#team"],
      add: { teamCount: -1, holdsVersion: 1 },
      condition: `#team.joinedAt = :joinedAt AND ${reset.condition}`,
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + teamId },
      values: { ":joinedAt": joinedAt, ...reset.values },
    }, owed);
    if (left) return "left" as const;
    const state = toSecurityState(await this.table.get(keys.factors(userId)));
    return state.teams.some((team) => team.teamId === teamId && team.joinedAt === joinedAt) ? "reset_changed" as const : "not_member" as const;
  }

  async read(userId: string): Promise<SecurityState> {
    return toSecurityState(await this.table.get(keys.factors(userId)));
  }

  async readMany(userIds: readonly string[]): Promise<Map<string, SecurityState>> {
    if (userIds.length === 0) return new Map();
    const items = new Map((await this.table.getMany(userIds.map(keys.factors))).map((item) => [item.pk as string, item]));
    return new Map(userIds.map((userId) => [userId, toSecurityState(items.get(keys.factors(userId).pk))]));
  }
}
