import { describe, expect, it } from "vitest";
import { totpCode } from "../support/authenticator.js";
import { travel } from "../support/clock.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { holdWritesUntilRead } from "../support/race-gate.js";
import { useSystem } from "../support/system.js";
import { addMember, createTeam, invite, newMember, put, ROLES, type Role } from "../support/teams.js";

const ctx = useSystem();

/**
 * What each role may do on its own team, written out apart from the table in core. On another
 * team every route answers 404 (tenant isolation: existence never leaks).
 */
const ALLOWED: Record<string, readonly Role[]> = {
  "GET team": ["owner", "admin", "member", "auditor"],
  "POST invitations": ["owner", "admin"],
  "GET invitations": ["owner", "admin"],
  "DELETE invitation": ["owner", "admin"],
  "GET members": ["owner", "admin"],
  "DELETE member": ["owner", "admin"],
  "PUT enforcement": ["owner", "admin"],
  "GET enforcement": ["owner", "admin", "auditor"],
  "POST two-factor-reset": ["owner", "admin"],
  "GET audit-events": ["owner", "admin", "auditor"],
};

const SUCCESS: Record<string, number> = {
  "GET team": 200, "POST invitations": 201, "GET invitations": 200, "DELETE invitation": 204, "GET members": 200, "DELETE member": 204,
  "PUT enforcement": 202, "GET enforcement": 200, "POST two-factor-reset": 202, "GET audit-events": 200,
};

/** A user with an authenticator app, signed in by it: 2FA on and a recent proof, as privileged actions need. */
async function withTwoFactor(name: string): Promise<TestUser & { secret: string }> {
  const user = await signUpAndLogin(ctx.api, name);
  const { secret } = await enableTotp(ctx.api, user);
  return { ...user, secret };
}

describe("team routes × roles × own team / another team", () => {
  it("answers each role as the table says, and 404 on another team's resources", { timeout: 60_000 }, async () => {
    // Prepare: one team with a caller of each role (owner and admin with 2FA and a recent proof),
    // and another team none of them belongs to.
    const owner = await withTwoFactor("Owner");
    const team = await createTeam(ctx.api, owner);
    const callers = { owner } as Partial<Record<Role, TestUser>> as Record<Role, TestUser>;
    for (const role of ROLES.filter((r) => r !== "owner")) callers[role] = await newMember(ctx.api, team, owner, role, role);
    await enableTotp(ctx.api, callers.admin);
    const stranger = await withTwoFactor("Stranger");
    const other = await createTeam(ctx.api, stranger, "Other");
    const otherVictim = await newMember(ctx.api, other, stranger, "member", "OtherVictim");
    const otherInvitation = await invite(ctx.api, other, stranger, "someone@example.com", "member");

    const call = async (route: string, teamId: string, caller: TestUser): Promise<number> => {
      const base = `/v1/teams/${teamId}`;
      const own = teamId === team;
      const victim = own && (route === "DELETE member" || route === "POST two-factor-reset")
        ? await newMember(ctx.api, team, owner, "member", "Victim") : otherVictim;
      switch (route) {
        case "GET team": return (await ctx.api.get(base, caller.token)).status;
        case "POST invitations": return (await ctx.api.post(`${base}/invitations`, { email: `new-${Math.random()}@example.com`, role: "member" }, caller.token)).status;
        case "GET invitations": return (await ctx.api.get(`${base}/invitations`, caller.token)).status;
        case "DELETE invitation": {
          const id = own ? await invite(ctx.api, team, owner, `gone-${Math.random()}@example.com`, "member") : otherInvitation;
          return (await ctx.api.delete(`${base}/invitations/${id}`, undefined, caller.token)).status;
        }
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
        seen.push(`${route} ${role} own ${await call(route, team, callers[role])}`);
        expected.push(`${route} ${role} own ${ALLOWED[route]!.includes(role) ? SUCCESS[route] : 403}`);
        seen.push(`${route} ${role} other ${await call(route, other, callers[role])}`);
        expected.push(`${route} ${role} other 404`);
      }
    }
    expect(seen).toEqual(expected);
    // Nothing of the other team was touched.
    const members = await ctx.api.get(`/v1/teams/${other}/members`, stranger.token);
    expect(members.body.items.map((m: { userId: string }) => m.userId).sort()).toEqual([stranger.id, otherVictim.id].sort());
    expect((await ctx.api.get(`/v1/teams/${other}/invitations`, stranger.token)).body.items.map((i: { id: string }) => i.id)).toEqual([otherInvitation]);
  });

  it("lets admins invite, remove and reset members and auditors only, owners anyone, and nobody reset themselves", async () => {
    const owner = await withTwoFactor("Owner");
    const team = await createTeam(ctx.api, owner);
    const admin = await newMember(ctx.api, team, owner, "admin", "Admin");
    await enableTotp(ctx.api, admin);
    const peer = await newMember(ctx.api, team, owner, "admin", "Peer");

    const inviteAs = (by: TestUser, role: Role) =>
      ctx.api.post(`/v1/teams/${team}/invitations`, { email: `${role}-${Math.random()}@example.com`, role }, by.token);
    const byAdmin = await Promise.all(ROLES.map((role) => inviteAs(admin, role)));
    expect(byAdmin.map((r) => r.status)).toEqual([403, 403, 201, 201]);
    expect(byAdmin[0]!.body.code).toBe("forbidden");
    const byOwner = await Promise.all(ROLES.map((role) => inviteAs(owner, role)));
    expect(byOwner.map((r) => r.status)).toEqual([201, 201, 201, 201]);

    expect((await ctx.api.delete(`/v1/teams/${team}/members/${peer.id}`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${owner.id}`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${peer.id}/two-factor-reset`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${owner.id}/two-factor-reset`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${admin.id}/two-factor-reset`, undefined, admin.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${owner.id}/two-factor-reset`, undefined, owner.token)).status).toBe(403);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${peer.id}/two-factor-reset`, undefined, owner.token)).status).toBe(202);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${peer.id}`, undefined, owner.token)).status).toBe(204);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${peer.id}`, undefined, owner.token)).status).toBe(404);
  });
});

describe("a stranger", () => {
  it("cannot add anyone to a team, nor hold, reset or remove someone who never said yes", async () => {
    const victim = await withTwoFactor("Victim");
    const attacker = await withTwoFactor("Attacker");
    const team = await createTeam(ctx.api, attacker, "Trap");

    // The old way in is gone.
    const added = await ctx.api.post(`/v1/teams/${team}/members`, { email: victim.email, role: "member" }, attacker.token);
    expect(added.status).toBe(405);
    // An invitation changes nothing until the victim accepts it, even from an enforcing team.
    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, attacker.token)).status).toBe(202);
    await invite(ctx.api, team, attacker, victim.email.toUpperCase(), "member");
    await ctx.system.bus.idle();
    const reset = await ctx.api.post(`/v1/teams/${team}/members/${victim.id}/two-factor-reset`, undefined, attacker.token);
    expect(reset.status).toBe(404);
    expect(reset.body.code).toBe("member_not_found");
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${victim.id}`, undefined, attacker.token)).status).toBe(404);

    const me = await ctx.api.get("/v1/me", victim.token);
    expect(me.status).toBe(200);
    expect(me.body.user.twoFactor).toMatchObject({ enabled: true, enforcedBy: [], pendingReset: null });
    expect((await ctx.api.get("/v1/me/teams", victim.token)).body.items).toEqual([]);
    // The victim still signs in with their own second factor, nothing else.
    const login = await ctx.api.post("/v1/auth/login", { email: victim.email, password: PASSWORD });
    expect(login.body.status).toBe("two_factor_required");
  });
});

describe("privileged team actions", () => {
  it("check the role first (403), then 2FA on (409), then a recent proof (403), in that order, for each action", async () => {
    const owner = await signUpAndLogin(ctx.api, "Owner");
    const team = await createTeam(ctx.api, owner);
    const member = await newMember(ctx.api, team, owner, "member", "Member");
    const target = await newMember(ctx.api, team, owner, "member", "Target");
    const lostPhone = await newMember(ctx.api, team, owner, "member", "LostPhone");
    const actions: Record<string, (by: TestUser) => Promise<{ status: number; body: any }>> = {
      enforcement: (by) => put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, by.token),
      "remove member": (by) => ctx.api.delete(`/v1/teams/${team}/members/${target.id}`, undefined, by.token),
      "invite an admin": (by) => ctx.api.post(`/v1/teams/${team}/invitations`, { email: `admin-${Math.random()}@example.com`, role: "admin" }, by.token),
      "reset a member": (by) => ctx.api.post(`/v1/teams/${team}/members/${lostPhone.id}/two-factor-reset`, undefined, by.token),
    };
    const outcome = async (by: TestUser) =>
      Object.fromEntries(await Promise.all(Object.entries(actions).map(async ([name, act]) => {
        const res = await act(by);
        return [name, `${res.status} ${res.body?.code ?? ""}`.trim()];
      })));
    const everywhere = (answer: string) => Object.fromEntries(Object.keys(actions).map((name) => [name, answer]));

    expect(await outcome(member)).toEqual(everywhere("403 forbidden"));
    expect(await outcome(owner)).toEqual(everywhere("409 admin_needs_two_factor"));
    const { secret } = await enableTotp(ctx.api, owner);
    // Past the window of the proof that activation was.
    const later = travel(ctx.system, 11 * 60_000);
    try {
      expect(await outcome(owner)).toEqual(everywhere("403 reauthentication_required"));
      const reauth = await ctx.api.post("/v1/me/reauthenticate", { code: totpCode(secret, later.now()) }, owner.token);
      expect(reauth.status).toBe(200);
      const allowed = await outcome(owner);
      expect(allowed).toEqual({ enforcement: "202", "remove member": "204", "invite an admin": "201", "reset a member": "202" });
    } finally {
      later.restore();
    }
  });
});

describe("owners", () => {
  it("keeps the last owner, even against two owners removing each other at once", async () => {
    const first = await withTwoFactor("First");
    const team = await createTeam(ctx.api, first);
    const alone = await ctx.api.delete(`/v1/teams/${team}/members/${first.id}`, undefined, first.token);
    expect(alone.status).toBe(409);
    expect(alone.body.code).toBe("last_owner");

    for (let round = 0; round < 3; round++) {
      const a = await withTwoFactor("A");
      const t = await createTeam(ctx.api, a);
      const b = await newMember(ctx.api, t, a, "owner", "B");
      await enableTotp(ctx.api, b);
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
});

describe("members", () => {
  it("are created, shown and paged without loss or repeat", async () => {
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
