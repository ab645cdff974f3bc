import { describe, expect, it } from "vitest";
import { enableTotp, PASSWORD, signUpAndLogin } from "../support/flows.js";
import { testClock } from "../support/clock.js";
import { useSystem } from "../support/system.js";
import { addMember, createTeam, newMember, put } from "../support/teams.js";

const ctx = useSystem();

interface Entry { eventId: string; type: string; occurredAt: string; actor: string; userId?: string; teamId?: string; detail: object }

async function all(path: string, token: string, limit: number): Promise<Entry[]> {
  const items: Entry[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res: { status: number; body: { items: Entry[]; nextCursor: string | null } } =
      await ctx.api.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, token);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe("GET /v1/teams/{teamId}/audit-events", () => {
  it("holds team events and each member's events from joining to leaving, filtered, paged, as JSON or CSV, with no secret", async () => {
    // Prepare
    const owner = await signUpAndLogin(ctx.api, "Owner");
    const ownerFactors = await enableTotp(ctx.api, owner);
    const team = await createTeam(ctx.api, owner);
    const auditor = await newMember(ctx.api, team, owner, "auditor", "Auditor");
    await enableTotp(ctx.api, auditor); // enforcement holds auditors too
    const member = await signUpAndLogin(ctx.api, "Member");           // a login before joining: not the team's
    await ctx.system.bus.idle();
    const joinedAfter = testClock.now().toISOString();
    await addMember(ctx.api, team, owner, member, "member");
    const memberFactors = await enableTotp(ctx.api, member);             // while a member: the team's
    await ctx.api.post("/v1/auth/login", { email: member.email, password: "a wrong password!" });
    await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token);
    await ctx.system.bus.idle();
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${member.id}`, undefined, owner.token)).status).toBe(204);
    await ctx.system.bus.idle();
    const leftAt = testClock.now().toISOString();
    await ctx.api.post("/v1/auth/login", { email: member.email, password: "another wrong one" }); // after leaving: not the team's
    await ctx.system.bus.idle();

    // Act
    const everything = await all(`/v1/teams/${team}/audit-events`, auditor.token, 100);

    // Assess: what is there, newest first
    expect(everything.map((e) => e.occurredAt)).toEqual(everything.map((e) => e.occurredAt).sort().reverse());
    const ofMember = everything.filter((e) => e.userId === member.id).map((e) => e.type).sort();
    expect(ofMember).toEqual(["LoginFailed", "TeamInvitationAccepted", "TeamMemberAdded", "TeamMemberRemoved", "TotpEnabled", "TwoFactorEnabled"]);
    expect(everything.map((e) => e.type)).toEqual(expect.arrayContaining(["TeamCreated", "TeamEnforcementEnabled"]));
    expect(everything.every((e) => new Set(everything.map((x) => x.eventId)).has(e.eventId))).toBe(true);
    expect(new Set(everything.map((e) => e.eventId)).size).toBe(everything.length);
    const text = JSON.stringify(everything);
    for (const secret of [ownerFactors.secret, memberFactors.secret, ...ownerFactors.recoveryCodes, ...memberFactors.recoveryCodes, owner.token, member.token, PASSWORD]) {
      expect(text).not.toContain(secret);
    }

    // Filters
    const byType = await all(`/v1/teams/${team}/audit-events?type=LoginFailed`, owner.token, 100);
    expect(byType.map((e) => e.userId)).toEqual([member.id]);
    const byUser = await all(`/v1/teams/${team}/audit-events?userId=${member.id}`, owner.token, 100);
    expect(byUser.map((e) => e.eventId).sort()).toEqual(everything.filter((e) => e.userId === member.id).map((e) => e.eventId).sort());
    const window = await all(`/v1/teams/${team}/audit-events?since=${joinedAfter}&until=${leftAt}`, owner.token, 100);
    expect(window.map((e) => e.eventId)).toEqual(everything.filter((e) => e.occurredAt >= joinedAfter && e.occurredAt <= leftAt).map((e) => e.eventId));
    expect(window.some((e) => e.type === "TeamCreated")).toBe(false);
    for (const bad of ["type=NoSuchEvent", "since=yesterday", `since=${leftAt}&until=${joinedAfter}`, "limit=0", "limit=101", "cursor=bm9wZQ"]) {
      const res = await ctx.api.get(`/v1/teams/${team}/audit-events?${bad}`, owner.token);
      expect(res.status, bad).toBe(400);
    }
    expect((await ctx.api.get(`/v1/teams/${team}/audit-events`, member.token)).status).toBe(404);

    // Pagination without loss or repeat, also while a filter skips items
    expect((await all(`/v1/teams/${team}/audit-events`, owner.token, 2)).map((e) => e.eventId)).toEqual(everything.map((e) => e.eventId));
    expect((await all(`/v1/teams/${team}/audit-events?userId=${member.id}`, owner.token, 1)).map((e) => e.eventId)).toEqual(byUser.map((e) => e.eventId));

    // CSV: the same pages, the cursor in a Link header
    const rows: string[] = [];
    let next: string | undefined = `/v1/teams/${team}/audit-events?limit=3`;
    while (next) {
      const res = await fetch(ctx.system.url + next, { headers: { authorization: `Bearer ${auditor.token}`, accept: "text/csv" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      const lines = (await res.text()).trimEnd().split("\r\n");
      expect(lines[0]).toBe("eventId,type,occurredAt,actor,userId,teamId,ip,userAgent,detail");
      rows.push(...lines.slice(1));
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
    }
    expect(rows.map((row) => row.split(",")[0])).toEqual(everything.map((e) => e.eventId));
  });
});
