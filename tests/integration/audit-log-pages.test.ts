import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "@twofactor/aws";
import type { AuditEntry } from "@twofactor/core";
import type { ApiResponse } from "../support/api.js";
import { signUpAndLogin, type TestUser } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * A DynamoDB Query answer stops at 1 MB of items whatever its Limit, with LastEvaluatedKey set. A list
 * walked page by page must still show every item once: a short answer is not the end. Entries are
 * written straight to the embedded dynalite (which keeps the same 1 MB rule), large enough that a
 * page of 100 spans several answers. Real entries are small (user agents are cut to 512 characters):
 * size here stands in for many entries.
 */
const ctx = useSystem();
const KB = 1024;

/** Entries of the given sizes for one user, a millisecond apart, oldest first; answers their ids newest first. */
async function writeEntries(userId: string, sizes: number[], start = Date.parse("2025-01-01T00:00:00.000Z")): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, size] of sizes.entries()) {
    const occurredAt = new Date(start + i).toISOString();
    const entry: AuditEntry = {
      eventId: randomUUID(), type: "LoginSucceeded", occurredAt, actor: userId, userId, detail: { method: "password", padding: "x".repeat(size) },
    } as AuditEntry;
    const written = await ctx.system.runtime.table.put({ pk: keys.userAudit(userId), sk: `${occurredAt}#${entry.eventId}`, entry }, "attribute_not_exists(pk)");
    expect(written).toBe(true);
    ids.push(entry.eventId);
  }
  return ids.reverse();
}

/** Every page of the store's list, following nextCursor; each page checked against the limit. */
async function walk(userId: string, limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.system.runtime.deps.auditLog.listForUser(userId, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    pages.push(page.items.map((entry) => entry.eventId));
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(1000);
  } while (cursor);
  return pages;
}

describe("the security log, page by page, across DynamoDB's 1 MB answers", () => {
  it("fills a page of 100 from several answers, and ends with no cursor only when nothing follows", async () => {
    const userId = `usr_${randomUUID()}`;
    const ids = await writeEntries(userId, Array.from({ length: 60 }, () => 60 * KB)); // ~3.6 MB: four 1 MB answers
    const pages = await walk(userId, 100);
    expect(pages.map((page) => page.length)).toEqual([60]);
    expect(pages.flat()).toEqual(ids);
  });

  describe("with entries of mixed sizes, some near DynamoDB's 400 KB item limit, so that answers end at odd places", () => {
    const userId = `usr_${randomUUID()}`;
    let ids: string[];
    beforeAll(async () => {
      ids = await writeEntries(userId, Array.from({ length: 60 }, (_, i) => [200, 60 * KB, 350 * KB, 5 * KB, 120 * KB][i % 5]!));
    }, 60_000);

    it.each([1, 7, 25, 59, 60, 61, 100])("limit %i: every entry once, newest first, every page full but the last", async (limit) => {
      const pages = await walk(userId, limit);
      expect(pages.flat()).toEqual(ids);
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      expect(pages.at(-1)!.length).toBe(ids.length - limit * (pages.length - 1));
    });
  });

  it("when a page's read budget runs out, ends it early with a cursor from where DynamoDB stopped", async () => {
    const userId = `usr_${randomUUID()}`;
    const ids = await writeEntries(userId, Array.from({ length: 40 }, () => 100 * KB)); // ~10 entries per answer
    const { table } = ctx.system.runtime;
    const query = { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.userAudit(userId) }, ScanIndexForward: false };
    const seen: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await table.queryPage(query, { limit: 100, startKey, maxCalls: 1 });
      expect(page.items.length).toBeLessThan(40);
      // An answer may stop with LastEvaluatedKey right at the end: then the page after it is empty (and last).
      if (page.items.length === 0) expect(page.lastKey).toBeUndefined();
      seen.push(...page.items.map((item) => (item.entry as AuditEntry).eventId));
      startKey = page.lastKey;
      pages++;
    } while (startKey);
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(ids);
  });
});

describe("GET /v1/me/security-events over HTTP", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await signUpAndLogin(ctx.api);
    await ctx.system.bus.idle();
  });

  it("walks a log of more than 1 MB without loss or repeat, with nextCursor until the end", async () => {
    const own = (await ctx.api.get("/v1/me/security-events?limit=100", user.token)).body.items.map((e: { eventId: string }) => e.eventId);
    const written = await writeEntries(user.id, Array.from({ length: 45 }, () => 80 * KB), Date.parse("2024-01-01T00:00:00.000Z"));
    const expected = [...own, ...written]; // the login of today first, then the older entries newest first
    for (const limit of [100, 10]) {
      const seen: string[] = [];
      let next: string | null = null;
      const sizes: number[] = [];
      do {
        const res: ApiResponse = await ctx.api.get(`/v1/me/security-events?limit=${limit}${next ? `&cursor=${next}` : ""}`, user.token);
        expect(res.status).toBe(200);
        sizes.push(res.body.items.length);
        seen.push(...res.body.items.map((e: { eventId: string }) => e.eventId));
        next = res.body.nextCursor;
      } while (next);
      expect(seen, `limit ${limit}: pages of ${sizes.join(", ")}`).toEqual(expected);
      expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
    }
  }, 60_000);
});
