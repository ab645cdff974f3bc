import type { DomainEvent } from "@twofactor/events";
import {
  InvalidCursorError, type Enforcement, type Member, type MemberRange, type Membership, type Page, type PageRequest, type Rollout,
  type RolloutProgress, type RolloutSegment, type Team, type Teams,
} from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { epochSeconds, type Item, type Table } from "./table.js";

const MEMBER_PREFIX = "MEMBER#";
/** Sorts after every `MEMBER#…` key (the next character after `#`). */
const MEMBER_END = "MEMBER$";
/** A left membership stays in the history this long (TTL): time enough for a late event or a replay to find it. */
const LEFT_KEEP_SECONDS = 100 * 24 * 3600;
const NO_ROLLOUT: Rollout = { state: "complete", membersTotal: 0, membersProcessed: 0, membersNeedingSetup: 0, completedAt: null, updatedAt: null, segmentCount: 0 };

/**
 * The team item (`TEAM#<id>`/`TEAM`: name, counts, enforcement and the rollout's checkpoint), its
 * members (`MEMBER#<userId>` in the same partition, so a page of members is one query in a stable
 * order), and each user's membership history (`MEMBERSHIPS#<userId>`, joined and left, for the audit
 * log; apart from the partition a login reads). The user's side of a membership, which decides, is
 * MembershipsStore's; these writes follow it and are each idempotent. No transactions: the writes
 * are ordered so that a crash leaves what the next attempt completes, or errs on the safe side (an
 * owner count lower than the owners, never higher).
 */
export class TeamsStore implements Teams {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async create(team: Pick<Team, "id" | "name" | "createdAt">, owner: Member, owed: readonly DomainEvent[]): Promise<void> {
    await this.table.put({ ...keys.member(team.id, owner.userId), ...owner });
    await this.recordJoined(team.id, owner);
    await this.outbox.write(keys.team(team.id), {
      set: { id: team.id, name: team.name, createdAt: team.createdAt, memberCount: 1, ownerCount: 1, enabled: false, generation: 0 },
      condition: "attribute_not_exists(pk)",
    }, owed);
  }

  async get(teamId: string): Promise<Team | undefined> {
    const item = await this.table.get(keys.team(teamId));
    return item ? toTeam(item) : undefined;
  }

  async getMany(teamIds: readonly string[]): Promise<Team[]> {
    if (teamIds.length === 0) return [];
    return (await this.table.getMany(teamIds.map(keys.team))).map(toTeam);
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

  async membersAfter(teamId: string, cursor: string | null, limit: number, range: MemberRange = { from: null, to: null }) {
    const pk = keys.teamPartition(teamId);
    const below = range.to === null ? null : MEMBER_PREFIX + range.to;
    // One more than asked tells whether another page exists.
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": pk, ":from": MEMBER_PREFIX + (range.from ?? ""), ":to": below ?? MEMBER_END },
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: cursor === null ? undefined : { pk, sk: cursor },
    });
    // BETWEEN includes its upper bound: a member whose key is the next range's start is the next range's.
    const inRange = below === null ? items : items.filter((item) => (item.sk as string) < below);
    const shown = inRange.slice(0, limit);
    return { members: shown.map(toMember), last: (shown.at(-1)?.sk as string | undefined) ?? null, more: inRange.length > limit };
  }

  /**
   * The member item (once per membership), the history, then the counts — whose write answers the
   * team as it is after the member item exists. A leftover of an earlier membership (a removal that
   * crashed halfway) is replaced, and was counted already.
   */
  async addMember(teamId: string, member: Member): Promise<Team> {
    const item = { ...keys.member(teamId, member.userId), ...member };
    const added = await this.table.put(item, "attribute_not_exists(pk)");
    if (!added) {
      const existing = await this.member(teamId, member.userId);
      if (existing && existing.joinedAt < member.joinedAt) await this.table.put(item, "joinedAt = :old", { ":old": existing.joinedAt });
    }
    await this.recordJoined(teamId, member);
    const team = added
      ? await this.table.update(keys.team(teamId), { add: { memberCount: 1, ...(member.role === "owner" ? { ownerCount: 1 } : {}) } })
      : await this.table.get(keys.team(teamId));
    if (!team) throw new Error(`team ${teamId} is gone`);
    return toTeam(team);
  }

  async removeMember(teamId: string, member: Member, at: Date): Promise<boolean> {
    const removed = await this.table.delete(keys.member(teamId, member.userId), "joinedAt = :joinedAt", { ":joinedAt": member.joinedAt });
    if (!removed) return false;
    await this.table.update(keys.membershipHistory(member.userId, teamId, member.joinedAt), {
      set: { teamId, role: member.role, joinedAt: member.joinedAt, leftAt: at.toISOString(), expiresAt: epochSeconds(at) + LEFT_KEEP_SECONDS },
    });
    await this.table.update(keys.team(teamId), { add: { memberCount: -1 } });
    return true;
  }

  async releaseOwner(teamId: string): Promise<boolean> {
    const kept = await this.table.update(keys.team(teamId), { add: { ownerCount: -1 }, condition: "ownerCount > :one", values: { ":one": 1 } });
    return kept !== undefined;
  }

  async restoreOwner(teamId: string): Promise<void> {
    await this.table.update(keys.team(teamId), { add: { ownerCount: 1 } });
  }

  async changeEnforcement(teamId: string, expectedGeneration: number, next: Enforcement, owed: readonly DomainEvent[]): Promise<boolean> {
    const { enabled, enabledAt, enabledBy, generation, rollout } = next;
    const item = await this.outbox.write(keys.team(teamId), {
      set: { enabled, enabledAt, enabledBy, generation, ...rolloutAttributes(rollout) },
      condition: "generation = :expected",
      values: { ":expected": expectedGeneration },
    }, owed);
    return item !== undefined;
  }

  async rolloutSegments(teamId: string): Promise<RolloutSegment[]> {
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :segment)",
      ExpressionAttributeValues: { ":pk": keys.teamPartition(teamId), ":segment": keys.rolloutSegmentPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      index: item.index as number,
      generation: item.generation as number,
      cursor: (item.cursor as string | undefined) ?? null,
      done: item.done === true,
      processed: item.processed as number,
      needingSetup: item.needingSetup as number,
      updatedAt: item.updatedAt as string,
    }));
  }

  async checkpoint(teamId: string, generation: number, index: number, from: string | null, progress: RolloutProgress, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const { cursor, done, processed, needingSetup } = progress;
    const moved = { index, generation, done, updatedAt: at.toISOString(), ...(cursor === null ? {} : { cursor }) };
    // A segment's first page starts it afresh for this generation; a later page adds to it.
    const item = await this.outbox.write(keys.rolloutSegment(teamId, index), from === null
      ? {
        set: { ...moved, processed, needingSetup },
        condition: "attribute_not_exists(generation) OR generation < :g",
        values: { ":g": generation },
        remove: cursor === null ? ["cursor"] : [],
      }
      : {
        set: moved,
        add: { processed, needingSetup },
        condition: "generation = :g AND #done = :false AND #at = :from",
        names: { "#done": "done", "#at": "cursor" },
        values: { ":g": generation, ":false": false, ":from": from },
      }, owed);
    return item !== undefined;
  }

  async completeRollout(teamId: string, generation: number, totals: { processed: number; needingSetup: number }, at: Date): Promise<boolean> {
    const item = await this.table.update(keys.team(teamId), {
      set: {
        rolloutState: "complete", completedAt: at.toISOString(), membersNeedingSetup: totals.needingSetup,
        // Members who joined during the rollout were reached and counted: the total is what it processed.
        membersProcessed: totals.processed, membersTotal: totals.processed,
      },
      condition: "generation = :g AND rolloutState <> :complete",
      values: { ":g": generation, ":complete": "complete" },
    });
    return item !== undefined;
  }

  async resumeRollout(teamId: string, generation: number, seenUpdatedAt: string | null, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.team(teamId), {
      set: { rolloutUpdatedAt: at.toISOString() },
      condition: `generation = :g AND rolloutState <> :complete AND ${seenUpdatedAt === null ? "attribute_not_exists(rolloutUpdatedAt)" : "rolloutUpdatedAt = :seen"}`,
      values: { ":g": generation, ":complete": "complete", ...(seenUpdatedAt === null ? {} : { ":seen": seenUpdatedAt }) },
    }, owed);
    return item !== undefined;
  }

  async watchRollout(teamId: string, generation: number): Promise<void> {
    await this.table.put({ ...keys.rolloutWatch(teamId), teamId, generation });
  }

  async watchedRollouts(limit: number): Promise<{ teamId: string; generation: number }[]> {
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.rolloutWatchPartition },
      Limit: limit,
    });
    return items.map((item) => ({ teamId: item.teamId as string, generation: item.generation as number }));
  }

  async unwatchRollout(teamId: string, generation: number): Promise<void> {
    await this.table.delete(keys.rolloutWatch(teamId), "generation = :g", { ":g": generation });
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.membershipHistoryPartition(userId) },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      teamId: item.teamId as string,
      role: item.role as Membership["role"],
      joinedAt: item.joinedAt as string,
      ...(item.leftAt ? { leftAt: item.leftAt as string } : {}),
    }));
  }

  private async recordJoined(teamId: string, member: Member): Promise<void> {
    await this.table.update(keys.membershipHistory(member.userId, teamId, member.joinedAt), {
      set: { teamId, role: member.role, joinedAt: member.joinedAt },
    });
  }
}

function rolloutAttributes(rollout: Rollout): Item {
  const { state, updatedAt, ...counts } = rollout;
  return { rolloutState: state, rolloutUpdatedAt: updatedAt, ...counts };
}

function toTeam(item: Item): Team {
  const rollout: Rollout = item.rolloutState
    ? {
      state: item.rolloutState as Rollout["state"],
      membersTotal: item.membersTotal as number,
      membersProcessed: item.membersProcessed as number,
      membersNeedingSetup: item.membersNeedingSetup as number,
      completedAt: (item.completedAt as string | null | undefined) ?? null,
      updatedAt: (item.rolloutUpdatedAt as string | null | undefined) ?? null,
      segmentCount: (item.segmentCount as number | undefined) ?? 1,
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
