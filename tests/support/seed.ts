import { randomBytes, randomUUID } from "node:crypto";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "@twofactor/aws";
import type { LocalRuntime } from "@twofactor/local";

/**
 * Members of a large team written straight into the table in batches (no sign-up, no argon2), so
 * that thousands are seeded in seconds: the team's member items as TeamsStore writes them, the
 * member count, each member's side of the membership on their FACTORS item (matched with the
 * team's enforcement as it is: off), and for `withTwoFactor` of them an active authenticator app.
 * The fan-out sees them as any member.
 */
export async function seedMembers(system: LocalRuntime, teamId: string, count: number, withTwoFactor: (i: number) => boolean): Promise<{ flagged: string[]; protectedIds: string[] }> {
  const { table } = system.runtime;
  const flagged: string[] = [];
  const protectedIds: string[] = [];
  const joinedAt = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    // Random as real ids are, so that the fan-out's segments each get their share.
    const userId = `usr_${randomBytes(16).toString("base64url")}`;
    items.push({ ...keys.member(teamId, userId), userId, email: `${userId}@example.com`, role: "member", joinedAt });
    const side = { [`team:${teamId}`]: { role: "member", joinedAt, g: 0, on: false }, teamCount: 1 };
    if (withTwoFactor(i)) {
      items.push({ ...keys.factors(userId), ...side, totpStatus: "active", factorsVersion: 1 });
      protectedIds.push(userId);
    } else {
      items.push({ ...keys.factors(userId), ...side });
      flagged.push(userId);
    }
  }
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  for (let start = 0; start < batches.length; start += 4) {
    await Promise.all(batches.slice(start, start + 4).map(async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const out = await table.client.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } }));
        pending = (out.UnprocessedItems?.[table.name] ?? []) as typeof pending;
      }
    }));
  }
  await table.update(keys.team(teamId), { add: { memberCount: count } });
  return { flagged, protectedIds };
}

/**
 * `count` teams owned by the user, made through the stores as creating a team does (the user's side
 * under the cap, then the team's), without a request each: for tests of the cap on a user's teams.
 */
export async function seedOwnedTeams(system: LocalRuntime, owner: { id: string; email: string }, count: number): Promise<void> {
  const { memberships, teams } = system.runtime.deps;
  for (let i = 0; i < count; i++) {
    const teamId = `team_seed${String(i).padStart(3, "0")}${randomUUID().replaceAll("-", "").slice(0, 15)}`;
    const joinedAt = new Date().toISOString();
    const joined = await memberships.join(owner.id, { teamId, role: "owner", joinedAt }, 100, []);
    if (joined !== "joined") throw new Error(`seeding team ${i}: ${joined}`);
    await memberships.match(owner.id, teamId, joinedAt, 0, false);
    await teams.create({ id: teamId, name: `Seeded ${i}`, createdAt: joinedAt }, { userId: owner.id, email: owner.email, role: "owner", joinedAt }, []);
  }
}
