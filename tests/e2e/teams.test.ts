import { describe, expect, it } from "vitest";
import { enableTotp, signUpAndLogin, type TestUser } from "../support/flows.js";
import { holdWritesUntilRead } from "../support/race-gate.js";
import { useSystem } from "../support/system.js";
import { addMember, createTeam, newMember, put, ROLES, type Role } from "../support/teams.js";

const ctx = useSystem();

/**
 * API.md, Teams, written out independently of the table in core: what each role may do on its
 * own team. On another team every route answers 404 (tenant isolation: existence never leaks).
 */
const ALLOWED: Record<string, readonly Role[]> = {
  "GET team": ["owner", "admin", "member", "auditor"],
  "POST members": ["owner", "admin"],
  "GET members": ["owner", "admin"],
  "DELETE member": ["owner", "admin"],
  "PUT enforcement": ["owner", "admin"],
  "GET enforcement": ["owner", "admin", "auditor"],
  "POST two-factor-reset": ["owner", "admin"],
  "GET audit-events": ["owner", "admin", "auditor"],
};

const SUCCESS: Record<string, number> = {
  "GET team": 200, "POST members": 201, "GET members": 200, "DELETE member": 204,
  "PUT enforcement": 202, "GET enforcement": 200, "POST two-factor-reset": 204, "GET audit-events": 200,
};

describe("team routes × roles × own team / another team", () => {
  it("answers each role as API.md says, and 404 on another team's resources", async () => {
    // Prepare: one team with a caller of each role (owner and admin with 2FA, as enforcement
    // changes require), and another team none of them belongs to.
    const owner = await signUpAndLogin(ctx.api, "Owner");
    await enableTotp(ctx.api, owner);
    const team = await createTeam(ctx.api, owner);
    const callers: Record<Role, TestUser> = { owner } as Record<Role, TestUser>;
    for (const role of ROLES.filter((r) => r !== "owner")) {
      callers[role] = await newMember(ctx.api, team, owner, role, role);
    }
    await enableTotp(ctx.api, callers.admin);
    const stranger = await signUpAndLogin(ctx.api, "Stranger");
    const other = await createTeam(ctx.api, stranger, "Other");
    const otherVictim = await newMember(ctx.api, other, stranger, "member", "OtherVictim");
    const newcomer = await signUpAndLogin(ctx.api, "Newcomer");

    // Act and assess: every route for every role, on the caller's team and on the other.
    const call = async (route: string, teamId: string, caller: TestUser, victim: TestUser): Promise<number> => {
      const base = `/v1/teams/${teamId}`;
      switch (route) {
        case "GET team": return (await ctx.api.get(base, caller.token)).status;
        case "POST members": return (await ctx.api.post(`${base}/members`, { email: (await signUpAndLogin(ctx.api, "New")).email, role: "member" }, caller.token)).status;
        case "GET members": return (await ctx.api.get(`${base}/members`, caller.token)).status;
        case "DELETE member": return (await ctx.api.delete(`${base}/members/${victim.id}`, undefined, caller.token)).status;
        case "PUT enforcement": return (await put(ctx.api, `${base}/enforcement`, { enabled: false }, caller.token)).status;
        case "GET enforcement": return (await ctx.api.get(`${base}/enforcement`, caller.token)).status;
        case "POST two-factor-reset": return (await ctx.api.post(`${base}/members/${victim.id}/two-factor-reset`, undefined, caller.token)).status;
        case "GET audit-events": return (await ctx.api.get(`${base}/audit-events`, caller.token)).status;
      }
      throw new Error(route);
    };
    const seen: string[] = [];
    const expected: string[] = [];
    for (const route of Object.keys(ALLOWED)) {
      for (const role of ROLES) {
        const victim = route === "DELETE member" || route === "POST two-factor-reset" ? await newMember(ctx.api, team, owner, "member", "Victim") : newcomer;
        seen.push(`${route} ${role} own ${await call(route, team, callers[role], victim)}`);
        expected.push(`${route} ${role} own ${ALLOWED[route]!.includes(role) ? SUCCESS[route] : 403}`);
        seen.push(`${route} ${role} other ${await call(route, other, callers[role], otherVictim)}`);
        expected.push(`${route} ${role} other 404`);
      }
    }
    expect(seen).toEqual(expected);
    // Nothing of the other team was touched.
    const members = await ctx.api.get(`/v1/teams/${other}/members`, stranger.token);
    expect(members.body.items.map((m: { userId: string }) => m.userId).sort()).toEqual([stranger.id, otherVictim.id].sort());
  });

  it("lets admins manage members and auditors only, owners everyone, and nobody reset themselves", async () => {
    const owner = await signUpAndLogin(ctx.api, "Owner");
    const team = await createTeam(ctx.api, owner);
    const admin = await newMember(ctx.api, team, owner, "admin", "Admin");
    const peer = await newMember(ctx.api, team, owner, "admin", "Peer");
    const candidate = await signUpAndLogin(ctx.api, "Candidate");

    expect((await ctx.api.post(`/v1/teams/${team}/members`, { email: candidate.email, role: "admin" }, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members`, { email: candidate.email, role: "owner" }, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members`, { email: candidate.email, role: "auditor" }, admin.token)).status).toBe(201);
    expect((await ctx.api.post(`/v1/teams/${team}/members`, { email: candidate.email, role: "member" }, owner.token)).status).toBe(409);
    expect((await ctx.api.post(`/v1/teams/${team}/members`, { email: "nobody@example.com", role: "member" }, owner.token)).status).toBe(404);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${peer.id}`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${owner.id}`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${peer.id}/two-factor-reset`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${owner.id}/two-factor-reset`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${admin.id}/two-factor-reset`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${owner.id}/two-factor-reset`, undefined, owner.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${peer.id}/two-factor-reset`, undefined, owner.token)).status).toBe(204);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${peer.id}`, undefined, owner.token)).status).toBe(204);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${peer.id}`, undefined, owner.token)).status).toBe(404);
  });

  it("keeps the last owner, even against two owners removing each other at once", async () => {
    const first = await signUpAndLogin(ctx.api, "First");
    const team = await createTeam(ctx.api, first);
    const alone = await ctx.api.delete(`/v1/teams/${team}/members/${first.id}`, undefined, first.token);
    expect(alone.status).toBe(409);
    expect(alone.body.code).toBe("last_owner");

    for (let round = 0; round < 5; round++) {
      const a = await signUpAndLogin(ctx.api, "A");
      const t = await createTeam(ctx.api, a);
      const b = await newMember(ctx.api, t, a, "owner", "B");
      // Each removal reads its caller's and its target's membership (4 reads) before the owner count decides.
      const unhook = holdWritesUntilRead(ctx.system, 4,
        ({ command, input }) => command === "GetItemCommand" && input.Key?.pk === `TEAM#${t}` && Boolean(input.Key.sk?.startsWith("MEMBER#")),
        ({ command, input }) => command === "UpdateItemCommand" && input.Key?.pk === `TEAM#${t}` && input.Key.sk === "TEAM");
      const [ab, ba] = await Promise.all([
        ctx.api.delete(`/v1/teams/${t}/members/${b.id}`, undefined, a.token),
        ctx.api.delete(`/v1/teams/${t}/members/${a.id}`, undefined, b.token),
      ]).finally(unhook);
      expect([ab.status, ba.status].sort()).toEqual([204, 409]);
      const left = ab.status === 204 ? a : b;
      const members = await ctx.api.get(`/v1/teams/${t}/members`, left.token);
      expect(members.body.items).toEqual([expect.objectContaining({ userId: left.id, role: "owner" })]);
    }
  });

  it("creates, shows and pages members without loss or repeat", async () => {
    const owner = await signUpAndLogin(ctx.api, "Owner");
    const team = await createTeam(ctx.api, owner, "  Платформа  ");
    const got = await ctx.api.get(`/v1/teams/${team}`, owner.token);
    expect(got.body.team).toMatchObject({ id: team, name: "Платформа", role: "owner", memberCount: 1 });
    expect((await ctx.api.post("/v1/teams", { name: "x".repeat(65) }, owner.token)).status).toBe(400);
    const added: string[] = [owner.id];
    for (let i = 0; i < 5; i++) {
      const user = await signUpAndLogin(ctx.api, `M${i}`);
      await addMember(ctx.api, team, owner, user, "member");
      added.push(user.id);
    }
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await ctx.api.get(`/v1/teams/${team}/members?limit=2${cursor ? `&cursor=${cursor}` : ""}`, owner.token);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const m of res.body.items) {
        expect(m).toEqual({ userId: expect.any(String), email: expect.any(String), role: expect.any(String), twoFactorEnabled: false, needsSetup: false });
      }
      listed.push(...res.body.items.map((m: { userId: string }) => m.userId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(listed.sort()).toEqual(added.sort());
    expect((await ctx.api.get(`/v1/teams/${team}/members?cursor=bm90LWEtY3Vyc29y`, owner.token)).status).toBe(400);
  });
});
