import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EventBridgeEvent, SQSBatchResponse } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { DetailType } from "@twofactor/events";
import { handler as enforcementConsumer } from "@twofactor/functions/events/team-enforcement";
import type { Client } from "../support/api.js";
import { enableTotp, signUpAndLogin } from "../support/flows.js";
import { travel } from "../support/clock.js";
import { seedMembers } from "../support/seed.js";
import { useSystem } from "../support/system.js";
import { lambdaContext } from "@twofactor/local";
import { createTeam, put } from "../support/teams.js";

const PAGE = 25;
const SEGMENTS = 4;
const ctx = useSystem({ env: { ROLLOUT_PAGE_SIZE: String(PAGE), ROLLOUT_SEGMENTS: String(SEGMENTS) } });

/**
 * Fault injection at the AWS API boundary of the in-process runtime: a hook on the DynamoDB client
 * that acts on the fan-out's checkpoint (a segment's UpdateItem conditioned on its generation and cursor). A
 * throw there is a crash between a page's member writes and its checkpoint: the bus retries the
 * delivery and the page is done again.
 */
function onCheckpoint(act: (n: number) => Promise<void>): () => void {
  const name = `checkpoint-hook-${randomUUID()}`;
  let n = 0;
  ctx.system.runtime.table.client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Key?: { sk?: string }; ConditionExpression?: string };
      if (input.Key?.sk?.startsWith("ROLLOUT#") && input.ConditionExpression?.includes("generation")) await act(++n);
      return next(args);
    },
    { step: "initialize", name },
  );
  return () => ctx.system.runtime.table.client.middlewareStack.remove(name);
}

function envelope(detailType: DetailType, detail: Record<string, unknown>): EventBridgeEvent<DetailType, unknown> {
  return {
    version: "0", id: randomUUID(), "detail-type": detailType, source: "twofactor", account: "000000000000",
    time: new Date().toISOString(), region: "local", resources: [],
    detail: { eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: "system", ...detail },
  } as EventBridgeEvent<DetailType, unknown>;
}

async function auditOfType(api: Client, teamId: string, token: string, type: string): Promise<{ userId: string; detail: { reason: string } }[]> {
  const items: { userId: string; detail: { reason: string } }[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: typeof items; nextCursor: string | null } } =
      await api.get(`/v1/teams/${teamId}/audit-events?type=${type}&limit=100${cursor ? `&cursor=${cursor}` : ""}`, token);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Delivers as the consumer's queue does: the event in an SQS record's body; a record the consumer
 * reports as failed (an injected crash) is received again, up to five times.
 */
async function deliver(event: EventBridgeEvent<DetailType, unknown>): Promise<void> {
  const record = {
    messageId: randomUUID(), receiptHandle: "local", body: JSON.stringify(event),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "events", ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {}, md5OfBody: "", eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:local:000000000000:team-enforcement", awsRegion: "local",
  };
  for (let attempt = 1; ; attempt++) {
    const outcome = await enforcementConsumer({ Records: [record] }, lambdaContext("functions/events/team-enforcement.handler")).catch((error: unknown) => error);
    const failed = outcome instanceof Error || (outcome as SQSBatchResponse).batchItemFailures.length > 0;
    if (!failed) return;
    if (attempt === 5) throw outcome instanceof Error ? outcome : new Error("the consumer failed the event five times");
  }
}

function deadLetters(): string[] {
  const file = join(ctx.system.dataDir, "dead-letters.jsonl");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

/**
 * An owner with 2FA, a team with `count` seeded members (`withTwoFactor` of them with an app), and
 * how many dead letters the file had before: a test counts only its own.
 */
async function enforcingOwnerWithMembers(count: number, withTwoFactor: (i: number) => boolean) {
  const owner = await signUpAndLogin(ctx.api, "Owner");
  await enableTotp(ctx.api, owner);
  const team = await createTeam(ctx.api, owner);
  const deadBefore = deadLetters().length;
  return { owner, team, deadBefore, ...await seedMembers(ctx.system, team, count, withTwoFactor) };
}

describe("the enforcement fan-out", () => {
  it("flags every member without 2FA exactly once over 200 members, through a crash between pages and duplicate events", { timeout: 180_000 }, async () => {
    // Prepare: an owner with 2FA and 200 members (about 50 a segment: 2 or 3 pages each), one in four with 2FA.
    const { owner, team, deadBefore, flagged, protectedIds } = await enforcingOwnerWithMembers(200, (i) => i % 4 === 0);
    // Crash before the 3rd and the 7th checkpoint attempts: one in the first pages, one after.
    const crashes: number[] = [];
    const unhook = onCheckpoint(async (n) => {
      if (n === 3 || n === 7) {
        crashes.push(n);
        throw new Error("injected crash between a page's members and its checkpoint");
      }
    });

    // Act: turn enforcement on, and deliver the event (and continuations) again, concurrently.
    const started = await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token);
    expect(started.status).toBe(202);
    expect(started.body.enforcement).toMatchObject({ enabled: true, enabledBy: owner.id, rollout: { state: "pending", membersProcessed: 0 } });
    await Promise.all([
      deliver(envelope("TeamEnforcementEnabled", { teamId: team, generation: 1 })),
      deliver(envelope("TeamEnforcementEnabled", { teamId: team, generation: 1 })),
      deliver(envelope("TeamRolloutContinued", { teamId: team, generation: 1 })),
    ]);
    await ctx.system.bus.idle();
    unhook();

    // Assess: exact counts, every member without 2FA flagged once, one event each.
    expect(crashes).toEqual([3, 7]);
    const rollout = (await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout;
    expect(rollout).toEqual({
      state: "complete", membersTotal: 201, membersProcessed: 201, membersNeedingSetup: flagged.length, completedAt: expect.any(String),
    });
    const events = await auditOfType(ctx.api, team, owner.token, "MemberFlaggedForSetup");
    expect(events.map((e) => e.userId).sort()).toEqual([...flagged].sort());
    expect(events.every((e) => e.detail.reason === "enforcement")).toBe(true);
    const { memberships } = ctx.system.runtime.deps;
    for (const id of [...flagged.slice(0, 50), ...protectedIds.slice(0, 50)]) {
      const state = await memberships.read(id);
      expect(state.enforcedBy).toEqual([team]);
      expect(state.teams[0]?.flaggedBy).toBe(flagged.includes(id) ? "enforcement" : undefined);
    }
    expect(deadLetters()).toHaveLength(deadBefore);
  });

  it("stops a running rollout when enforcement is turned off, and releases everyone", { timeout: 120_000 }, async () => {
    const { owner, team, deadBefore, flagged } = await enforcingOwnerWithMembers(250, (i) => i % 2 === 0);
    // Turn it off during the first pages of the segments (about 62 members each: three pages).
    let turnedOff: Promise<unknown> | undefined;
    const unhook = onCheckpoint(async (n) => {
      if (n === 3 && !turnedOff) {
        turnedOff = put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: false }, owner.token);
        expect((await turnedOff as { status: number }).status).toBe(202);
      }
    });

    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
    await ctx.system.bus.idle();
    unhook();

    expect(turnedOff).toBeDefined();
    const enforcement = (await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement;
    expect(enforcement).toMatchObject({
      enabled: false,
      rollout: { state: "complete", membersTotal: 251, membersProcessed: 251, membersNeedingSetup: 0 },
    });
    for (const id of flagged) expect((await ctx.system.runtime.deps.memberships.read(id)).enforcedBy).toEqual([]);
    // The superseded rollout flagged only the pages it had under way when the change came.
    const events = await auditOfType(ctx.api, team, owner.token, "MemberFlaggedForSetup");
    expect(events.length).toBeLessThan(flagged.length);
    expect(new Set(events.map((e) => e.userId)).size).toBe(events.length);
    expect(deadLetters()).toHaveLength(deadBefore);
  });

  it("resumes a rollout whose continuation was dead-lettered, once it has stalled, and completes it exactly once", { timeout: 120_000 }, async () => {
    const { owner, team, deadBefore, flagged } = await enforcingOwnerWithMembers(300, (i) => i % 3 === 0);
    // Every delivery of one segment's continuation fails (its second page's checkpoint throws): the bus dead-letters it.
    let dropping = true;
    const name = `drop-${randomUUID()}`;
    ctx.system.runtime.table.client.middlewareStack.add((next) => async (args) => {
      const input = args.input as { Key?: { sk?: string }; ExpressionAttributeValues?: Record<string, unknown> };
      if (dropping && input.Key?.sk === "ROLLOUT#01" && input.ExpressionAttributeValues?.[":from"] !== undefined) throw new Error("injected: the continuation never gets through");
      return next(args);
    }, { step: "initialize", name });

    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
    await ctx.system.bus.idle();
    dropping = false;
    ctx.system.runtime.table.client.middlewareStack.remove(name);
    expect(deadLetters().slice(deadBefore).map((line) => (JSON.parse(line) as { event: { "detail-type": string; detail: { segment: number } } }).event))
      .toEqual([expect.objectContaining({ "detail-type": "TeamRolloutContinued", detail: expect.objectContaining({ segment: 1 }) })]);
    const stalled = (await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout;
    expect(stalled.state).toBe("running");
    expect(stalled.membersProcessed).toBeLessThan(301);

    // Not yet stalled: the sweep leaves it. Twenty minutes later it sends the continuation again.
    expect((await ctx.system.sweepRollouts()).resumed).toBe(0);
    const stalledFor = 20 * 60_000 + 1000;
    const later = travel(ctx.system, stalledFor);
    try {
      await ctx.system.sweepRollouts();
      await ctx.system.bus.idle();
    } finally {
      later.restore();
    }

    expect((await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout).toEqual({
      state: "complete", membersTotal: 301, membersProcessed: 301, membersNeedingSetup: flagged.length, completedAt: expect.any(String),
    });
    const events = await auditOfType(ctx.api, team, owner.token, "MemberFlaggedForSetup");
    expect(events.map((e) => e.userId).sort()).toEqual([...flagged].sort());
    // Complete: nothing is watched any more, so the next sweep resumes nothing.
    const muchLater = travel(ctx.system, 2 * stalledFor);
    try {
      expect((await ctx.system.sweepRollouts()).resumed).toBe(0);
    } finally {
      muchLater.restore();
    }
  });

  it("completes a rollout whose completing write crashed, when the last segment's event comes again", { timeout: 60_000 }, async () => {
    const { owner, team, deadBefore, flagged } = await enforcingOwnerWithMembers(150, (i) => i % 2 === 0);
    let crashes = 0;
    const name = `complete-${randomUUID()}`;
    ctx.system.runtime.table.client.middlewareStack.add((next) => async (args) => {
      const input = args.input as { Key?: { sk?: string }; ConditionExpression?: string };
      if (input.Key?.sk === "TEAM" && input.ConditionExpression?.includes("rolloutState <> :complete") && crashes++ === 0) throw new Error("injected crash before the completing write");
      return next(args);
    }, { step: "initialize", name });

    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
    await ctx.system.bus.idle();
    ctx.system.runtime.table.client.middlewareStack.remove(name);

    expect(crashes).toBeGreaterThan(1);
    expect((await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout).toEqual({
      state: "complete", membersTotal: 151, membersProcessed: 151, membersNeedingSetup: flagged.length, completedAt: expect.any(String),
    });
    expect((await auditOfType(ctx.api, team, owner.token, "MemberFlaggedForSetup")).length).toBe(flagged.length);
    expect(deadLetters()).toHaveLength(deadBefore);
  });
});
