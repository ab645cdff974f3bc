import type { DomainEvent } from "@twofactor/events";
import {
  InvalidCursorError, type Enforcement, type Member, type Membership, type Page, type PageRequest, type RemoveResult, type Rollout,
  type Team, type Teams,
} from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import type { Item, Table } from "./table.js";

const MEMBER_PREFIX = "MEMBER#";
const NO_ROLLOUT: Rollout = { state: "complete", membersTotal: 0, membersProcessed: 0, membersNeedingSetup: 0, completedAt: null, cursor: null };

/**
 * The team item (`TEAM#<id>`/`TEAM`: name, counts, enforcement and the rollout's checkpoint), its
 * members (`MEMBER#<userId>` in the same partition, so a page of members is one query in a stable
 * order), and each member's side of the membership in their own partition (`TEAM#<id>`, with
 * `joinedAt` and `leftAt`, for the audit log). No transactions: the writes are ordered so that a
 * crash leaves a state the next request repairs or that errs on the safe side (an owner count
 * lower than the owners, never higher).
 */
export class TeamsStore implements Teams {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async create(team: Pick<Team, "id" | "name" | "createdAt">, owner: Member, owed: readonly DomainEvent[]): Promise<void> {
    await this.table.put({ ...keys.member(team.id, owner.userId), ...owner });
    await this.membershipJoined(owner, team.id, []);
    await this.outbox.write(keys.team(team.id), {
      set: { id: team.id, name: team.name, createdAt: team.createdAt, memberCount: 1, ownerCount: 1, enabled: false, generation: 0 },
      condition: "attribute_not_exists(pk)",
    }, owed);
  }

  async get(teamId: string): Promise<Team | undefined> {
    const item = await this.table.get(keys.team(teamId));
    return item ? toTeam(item) : undefined;
  }

  async member(teamId: string, userId: string): Promise<Member | undefined> {
    const item = await this.table.get(keys.member(teamId, userId));
    return item ? toMember(item) : undefined;
  }

  async listMembers(teamId: string, page: PageRequest): Promise<Page<Member>> {
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
    const { members, last, more } = await this.membersAfter(teamId, after, page.limit);
    return { items: members, nextCursor: more && last ? Buffer.from(last).toString("base64url") : null };
  }

  async membersAfter(teamId: string, cursor: string | null, limit: number) {
    const pk = keys.teamPartition(teamId);
    // One more than asked tells whether another page exists.
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :member)",
      ExpressionAttributeValues: { ":pk": pk, ":member": MEMBER_PREFIX },
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: cursor === null ? undefined : { pk, sk: cursor },
    });
    const shown = items.slice(0, limit);
    return { members: shown.map(toMember), last: (shown.at(-1)?.sk as string | undefined) ?? null, more: items.length > limit };
  }

  /**
   * The team's side first (a conditional put: a member once), then the member's side owing
   * TeamMemberAdded, then the counts. A crash after the first write is repaired by the retry,
   * which finds the member and completes the member's side.
   */
  async addMember(teamId: string, member: Member, owed: readonly DomainEvent[]): Promise<boolean> {
    const added = await this.table.put({ ...keys.member(teamId, member.userId), ...member }, "attribute_not_exists(pk)");
    if (!added) {
      const side = await this.table.get(keys.membership(member.userId, teamId));
      if (side && !side.leftAt) return false;
      const existing = await this.member(teamId, member.userId);
      await this.membershipJoined(existing ?? member, teamId, owed);
      return false;
    }
    await this.membershipJoined(member, teamId, owed);
    await this.table.update(keys.team(teamId), { add: { memberCount: 1, ...(member.role === "owner" ? { ownerCount: 1 } : {}) } });
    return true;
  }

  /**
   * An owner leaves only if another stays: the owner count is decremented first, conditioned on
   * more than one (so two owners removing each other at once cannot both win), then the member
   * item is deleted; if it was already gone, the decrement is taken back. The member's side is
   * marked `leftAt` (owing TeamMemberRemoved), never deleted.
   */
  async removeMember(teamId: string, member: Member, at: Date, owed: readonly DomainEvent[]): Promise<RemoveResult> {
    const owner = member.role === "owner";
    if (owner) {
      const kept = await this.table.update(keys.team(teamId), { add: { ownerCount: -1 }, condition: "ownerCount > :one", values: { ":one": 1 } });
      if (!kept) return "last_owner";
    }
    const removed = await this.table.delete(keys.member(teamId, member.userId), "attribute_exists(pk)");
    if (!removed) {
      if (owner) await this.table.update(keys.team(teamId), { add: { ownerCount: 1 } });
      return "not_member";
    }
    await this.outbox.write(keys.membership(member.userId, teamId), { set: { leftAt: at.toISOString() } }, owed);
    await this.table.update(keys.team(teamId), { add: { memberCount: -1 } });
    return "removed";
  }

  async changeEnforcement(teamId: string, expectedGeneration: number, next: Enforcement, owed: readonly DomainEvent[]): Promise<boolean> {
    const { enabled, enabledAt, enabledBy, generation, rollout } = next;
    const item = await this.outbox.write(keys.team(teamId), {
      set: { enabled, enabledAt, enabledBy, generation, ...rolloutAttributes(rollout) },
      // A new rollout starts from the first member.
      remove: ["rolloutCursor"],
      condition: "generation = :expected",
      values: { ":expected": expectedGeneration },
    }, owed);
    return item !== undefined;
  }

  async checkpoint(teamId: string, generation: number, from: string | null, next: Rollout, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.team(teamId), {
      set: rolloutAttributes(next),
      condition: `generation = :g AND rolloutState <> :complete AND ${from === null ? "attribute_not_exists(rolloutCursor)" : "rolloutCursor = :from"}`,
      values: { ":g": generation, ":complete": "complete", ...(from === null ? {} : { ":from": from }) },
      ...(next.cursor === null ? { remove: ["rolloutCursor"] } : {}),
    }, owed);
    return item !== undefined;
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :team)",
      ExpressionAttributeValues: { ":pk": keys.userPartition(userId), ":team": "TEAM#" },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      teamId: item.teamId as string,
      role: item.role as Membership["role"],
      joinedAt: item.joinedAt as string,
      ...(item.leftAt ? { leftAt: item.leftAt as string } : {}),
    }));
  }

  private async membershipJoined(member: Member, teamId: string, owed: readonly DomainEvent[]): Promise<void> {
    await this.outbox.write(keys.membership(member.userId, teamId), {
      set: { teamId, role: member.role, joinedAt: member.joinedAt },
      remove: ["leftAt"],
    }, owed);
  }
}

function rolloutAttributes(rollout: Rollout): Item {
  const { cursor, state, ...counts } = rollout;
  return { rolloutState: state, ...counts, ...(cursor === null ? {} : { rolloutCursor: cursor }) };
}

function toTeam(item: Item): Team {
  const rollout: Rollout = item.rolloutState
    ? {
      state: item.rolloutState as Rollout["state"],
      membersTotal: item.membersTotal as number,
      membersProcessed: item.membersProcessed as number,
      membersNeedingSetup: item.membersNeedingSetup as number,
      completedAt: (item.completedAt as string | null | undefined) ?? null,
      cursor: (item.rolloutCursor as string | undefined) ?? null,
    }
    : NO_ROLLOUT;
  return {
    id: item.id as string,
    name: item.name as string,
    createdAt: item.createdAt as string,
    memberCount: item.memberCount as number,
    ownerCount: item.ownerCount as number,
    enforcement: {
      enabled: item.enabled === true,
      enabledAt: (item.enabledAt as string | null | undefined) ?? null,
      enabledBy: (item.enabledBy as string | null | undefined) ?? null,
      generation: (item.generation as number | undefined) ?? 0,
      rollout,
    },
  };
}

function toMember(item: Item): Member {
  return { userId: item.userId as string, email: item.email as string, role: item.role as Member["role"], joinedAt: item.joinedAt as string };
}

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, "base64url").toString("utf8");
  if (!sk.startsWith(MEMBER_PREFIX) || sk.length > 200) throw new InvalidCursorError();
  return sk;
}
