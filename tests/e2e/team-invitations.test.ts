import { describe, expect, it } from "vitest";
import { travel } from "../support/clock.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { holdWritesUntilRead } from "../support/race-gate.js";
import { seedOwnedTeams } from "../support/seed.js";
import { useSystem } from "../support/system.js";
import { accept, createTeam, invite, put } from "../support/teams.js";

const TTL_SECONDS = 600;
const ctx = useSystem({ env: { INVITATION_TTL_SECONDS: String(TTL_SECONDS) } });

interface AuditItem { type: string; actor: string; userId?: string; detail: Record<string, unknown> }

async function teamLog(teamId: string, token: string): Promise<AuditItem[]> {
  await ctx.system.bus.idle();
  const res = await ctx.api.get(`/v1/teams/${teamId}/audit-events?limit=100`, token);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function owning(name = "Owner"): Promise<{ owner: TestUser; team: string }> {
  const owner = await signUpAndLogin(ctx.api, name);
  await enableTotp(ctx.api, owner);
  return { owner, team: await createTeam(ctx.api, owner, `${name}'s team`) };
}

describe("invitations", () => {
  it("reach the invitee by their address whatever its case, and join them with the role on accepting", async () => {
    const { owner, team } = await owning("Grace");
    const ada = await signUpAndLogin(ctx.api, "Ada");
    const sent = await ctx.api.post(`/v1/teams/${team}/invitations`, { email: ada.email.toUpperCase(), role: "auditor" }, owner.token);
    expect(sent.status).toBe(201);
    expect(sent.body.invitation).toEqual({
      id: expect.stringMatching(/^inv_/), teamId: team, email: ada.email, role: "auditor", invitedBy: owner.id,
      createdAt: expect.any(String), expiresAt: expect.any(String),
    });
    expect(Date.parse(sent.body.invitation.expiresAt) - Date.parse(sent.body.invitation.createdAt)).toBe(TTL_SECONDS * 1000);

    const mine = await ctx.api.get("/v1/me/invitations", ada.token);
    expect(mine.body).toEqual({
      items: [{
        id: sent.body.invitation.id, team: { id: team, name: "Grace's team" }, role: "auditor", invitedBy: { name: "Grace" },
        createdAt: sent.body.invitation.createdAt, expiresAt: sent.body.invitation.expiresAt,
      }],
      nextCursor: null,
    });
    // Not a member until accepted.
    expect((await ctx.api.get(`/v1/teams/${team}`, ada.token)).status).toBe(404);
    const accepted = await ctx.api.post(`/v1/me/invitations/${sent.body.invitation.id}/accept`, undefined, ada.token);
    expect(accepted.status).toBe(201);
    expect(accepted.body.member).toEqual({ userId: ada.id, email: ada.email, role: "auditor", twoFactorEnabled: false, needsSetup: false });

    expect((await ctx.api.get(`/v1/teams/${team}`, ada.token)).body.team.role).toBe("auditor");
    expect((await ctx.api.get("/v1/me/teams", ada.token)).body.items).toEqual([
      { team: { id: team, name: "Grace's team" }, role: "auditor", joinedAt: expect.any(String), enforcing: false },
    ]);
    expect((await ctx.api.get("/v1/me/invitations", ada.token)).body.items).toEqual([]);
    expect((await ctx.api.get(`/v1/teams/${team}/invitations`, owner.token)).body.items).toEqual([]);
    expect((await ctx.api.post(`/v1/me/invitations/${sent.body.invitation.id}/accept`, undefined, ada.token)).body.code).toBe("invitation_not_found");

    const log = await teamLog(team, owner.token);
    expect(log.find((e) => e.type === "TeamInvitationCreated")).toMatchObject({
      actor: owner.id, detail: { invitationId: sent.body.invitation.id, email: ada.email, role: "auditor" },
    });
    expect(log.find((e) => e.type === "TeamInvitationAccepted")).toMatchObject({
      actor: ada.id, userId: ada.id, detail: { invitationId: sent.body.invitation.id, role: "auditor", invitedBy: owner.id },
    });
  });

  it("answer alike whether or not an account has the address, and wait for one to be made", async () => {
    const { owner, team } = await owning();
    const known = await signUpAndLogin(ctx.api, "Known");
    const stranger = `nobody-${Math.random().toString(36).slice(2)}@example.com`;
    const shape = (body: { invitation: Record<string, unknown> }) => Object.keys(body.invitation).sort();
    const toKnown = await ctx.api.post(`/v1/teams/${team}/invitations`, { email: known.email, role: "member" }, owner.token);
    const toNobody = await ctx.api.post(`/v1/teams/${team}/invitations`, { email: stranger, role: "member" }, owner.token);
    expect([toKnown.status, toNobody.status]).toEqual([201, 201]);
    expect(shape(toKnown.body)).toEqual(shape(toNobody.body));

    expect((await ctx.api.post("/v1/users", { email: stranger, password: PASSWORD, name: "Late" })).status).toBe(201);
    const late = (await ctx.api.post("/v1/auth/login", { email: stranger, password: PASSWORD })).body.session.token as string;
    const [waiting] = (await ctx.api.get("/v1/me/invitations", late)).body.items;
    expect(waiting.id).toBe(toNobody.body.invitation.id);
    expect((await ctx.api.post(`/v1/me/invitations/${waiting.id}/accept`, undefined, late)).status).toBe(201);
  });

  it("are declined by the invitee, withdrawn by an admin, and expire; none of them then joins anyone", async () => {
    const { owner, team } = await owning();
    const [declines, withdrawn, late] = [await signUpAndLogin(ctx.api, "Declines"), await signUpAndLogin(ctx.api, "Withdrawn"), await signUpAndLogin(ctx.api, "Late")];
    const declined = await invite(ctx.api, team, owner, declines.email, "member");
    const pulled = await invite(ctx.api, team, owner, withdrawn.email, "member");
    const expiring = await invite(ctx.api, team, owner, late.email, "member");

    expect((await ctx.api.delete(`/v1/me/invitations/${declined}`, undefined, declines.token)).status).toBe(204);
    expect((await ctx.api.delete(`/v1/me/invitations/${declined}`, undefined, declines.token)).status).toBe(404);
    expect((await ctx.api.post(`/v1/me/invitations/${declined}/accept`, undefined, declines.token)).status).toBe(404);

    expect((await ctx.api.delete(`/v1/teams/${team}/invitations/${pulled}`, undefined, owner.token)).status).toBe(204);
    expect((await ctx.api.delete(`/v1/teams/${team}/invitations/${pulled}`, undefined, owner.token)).body.code).toBe("invitation_not_found");
    expect((await ctx.api.get("/v1/me/invitations", withdrawn.token)).body.items).toEqual([]);
    expect((await ctx.api.post(`/v1/me/invitations/${pulled}/accept`, undefined, withdrawn.token)).body.code).toBe("invitation_not_found");

    expect((await ctx.api.get(`/v1/teams/${team}/invitations`, owner.token)).body.items.map((i: { id: string }) => i.id)).toEqual([expiring]);
    const later = travel(ctx.system, TTL_SECONDS * 1000 + 1000);
    try {
      expect((await ctx.api.get("/v1/me/invitations", late.token)).body.items).toEqual([]);
      expect((await ctx.api.get(`/v1/teams/${team}/invitations`, owner.token)).body.items).toEqual([]);
      expect((await ctx.api.post(`/v1/me/invitations/${expiring}/accept`, undefined, late.token)).body.code).toBe("invitation_not_found");
      // An expired invitation frees its address: it may be invited again.
      expect((await ctx.api.post(`/v1/teams/${team}/invitations`, { email: late.email, role: "member" }, owner.token)).status).toBe(201);
    } finally {
      later.restore();
    }
    const members = (await ctx.api.get(`/v1/teams/${team}/members`, owner.token)).body.items.map((m: { userId: string }) => m.userId);
    expect(members).toEqual([owner.id]);
  });

  it("are refused for a member's address, a second live one, past 100 open, and for anyone but the invitee", async () => {
    const { owner, team } = await owning();
    const member = await signUpAndLogin(ctx.api, "Member");
    await accept(ctx.api, member, await invite(ctx.api, team, owner, member.email, "member"));
    const already = await ctx.api.post(`/v1/teams/${team}/invitations`, { email: member.email.toUpperCase(), role: "auditor" }, owner.token);
    expect([already.status, already.body.code]).toEqual([409, "already_member"]);

    const target = await signUpAndLogin(ctx.api, "Target");
    const id = await invite(ctx.api, team, owner, target.email, "member");
    const twice = await ctx.api.post(`/v1/teams/${team}/invitations`, { email: target.email.toUpperCase(), role: "auditor" }, owner.token);
    expect([twice.status, twice.body.code]).toEqual([409, "already_invited"]);
    // Someone else's invitation is no invitation for them.
    expect((await ctx.api.post(`/v1/me/invitations/${id}/accept`, undefined, member.token)).body.code).toBe("invitation_not_found");
    expect((await ctx.api.delete(`/v1/me/invitations/${id}`, undefined, member.token)).body.code).toBe("invitation_not_found");

    for (let i = 0; i < 99; i++) await invite(ctx.api, team, owner, `filler-${i}@example.com`, "member");
    const over = await ctx.api.post(`/v1/teams/${team}/invitations`, { email: "one-too-many@example.com", role: "member" }, owner.token);
    expect([over.status, over.body.code]).toEqual([409, "too_many_invitations"]);
    // Paged without loss or repeat.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } =
        await ctx.api.get(`/v1/teams/${team}/invitations?limit=30${cursor ? `&cursor=${cursor}` : ""}`, owner.token);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(100);
    expect(seen).toContain(id);
  });

  it("of an enforcing team hold a user without 2FA at once, who may still see which team asks", async () => {
    const { owner, team } = await owning();
    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
    await ctx.system.bus.idle();
    const joiner = await signUpAndLogin(ctx.api, "Joiner");
    const accepted = await ctx.api.post(`/v1/me/invitations/${await invite(ctx.api, team, owner, joiner.email, "member")}/accept`, undefined, joiner.token);
    expect(accepted.body.member).toMatchObject({ twoFactorEnabled: false, needsSetup: true });
    const held = await ctx.api.get(`/v1/teams/${team}`, joiner.token);
    expect([held.status, held.body.code]).toEqual([403, "two_factor_setup_required"]);
    expect((await ctx.api.get("/v1/me/teams", joiner.token)).body.items).toEqual([expect.objectContaining({ team: { id: team, name: expect.any(String) }, enforcing: true })]);
    expect((await ctx.api.get("/v1/me", joiner.token)).body.user.twoFactor).toMatchObject({ needsSetup: true, enforcedBy: [team] });
    const log = await teamLog(team, owner.token);
    expect(log.filter((e) => e.type === "MemberFlaggedForSetup" && e.userId === joiner.id).map((e) => e.detail.reason)).toEqual(["joined"]);
  });

  it("accepted 30 times at once make one membership and one TeamInvitationAccepted", async () => {
    const { owner, team } = await owning();
    const joiner = await signUpAndLogin(ctx.api, "Joiner");
    const id = await invite(ctx.api, team, owner, joiner.email, "member");
    // Every accept reads the invitation before any of them writes the joiner's side.
    const unhook = holdWritesUntilRead(ctx.system, 30,
      ({ command, input }) => command === "GetItemCommand" && input.Key?.pk === `TEAM#${team}` && input.Key.sk === "INVITATIONS",
      ({ command, input }) => command === "UpdateItemCommand" && input.Key?.pk === `USER#${joiner.id}` && input.Key.sk === "FACTORS");
    const answers = await Promise.all(Array.from({ length: 30 }, () => ctx.api.post(`/v1/me/invitations/${id}/accept`, undefined, joiner.token)))
      .finally(unhook);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 404 && a.body.code === "invitation_not_found")).toHaveLength(29);
    const members = (await ctx.api.get(`/v1/teams/${team}/members`, owner.token)).body.items;
    expect(members.filter((m: { userId: string }) => m.userId === joiner.id)).toHaveLength(1);
    expect((await ctx.api.get(`/v1/teams/${team}`, owner.token)).body.team.memberCount).toBe(2);
    expect((await teamLog(team, owner.token)).filter((e) => e.type === "TeamInvitationAccepted")).toHaveLength(1);
  });
});

describe("a user's teams", () => {
  it("are at most 100, creating one included, and leaving one frees its place", async () => {
    const { owner, team } = await owning("Host");
    const busy = await signUpAndLogin(ctx.api, "Busy");
    // 98 through the stores (as creating does), one through the API, one joined.
    await seedOwnedTeams(ctx.system, busy, 98);
    await createTeam(ctx.api, busy, "The 99th");
    const invitation = await invite(ctx.api, team, owner, busy.email, "member");
    await accept(ctx.api, busy, invitation);
    const extra = await ctx.api.post("/v1/teams", { name: "One too many" }, busy.token);
    expect([extra.status, extra.body.code]).toEqual([409, "too_many_teams"]);
    const other = await owning("Other");
    const refused = await ctx.api.post(`/v1/me/invitations/${await invite(ctx.api, other.team, other.owner, busy.email, "member")}/accept`, undefined, busy.token);
    expect([refused.status, refused.body.code]).toEqual([409, "too_many_teams"]);

    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { team: { id: string } }[]; nextCursor: string | null } } =
        await ctx.api.get(`/v1/me/teams?limit=40${cursor ? `&cursor=${cursor}` : ""}`, busy.token);
      listed.push(...page.body.items.map((item) => item.team.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(listed).size).toBe(100);

    expect((await ctx.api.delete(`/v1/teams/${team}/members/${busy.id}`, undefined, owner.token)).status).toBe(204);
    expect((await ctx.api.post("/v1/teams", { name: "Room again" }, busy.token)).status).toBe(201);
  });

  it("leave nothing behind in what a login reads once left", async () => {
    const busy = await signUpAndLogin(ctx.api, "Leaver");
    const { table } = ctx.system.runtime;
    const partition = async () => (await table.queryAll({
      KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `USER#${busy.id}` }, ConsistentRead: true,
    }));
    const before = await partition();
    for (let i = 0; i < 3; i++) {
      const { owner, team } = await owning(`Host${i}`);
      await accept(ctx.api, busy, await invite(ctx.api, team, owner, busy.email, "member"));
      expect((await ctx.api.delete(`/v1/teams/${team}/members/${busy.id}`, undefined, owner.token)).status).toBe(204);
    }
    const after = await partition();
    // The one item a membership touched is the user's security state, and no membership is left on it.
    expect(after.map((item) => item.sk).sort()).toEqual([...new Set([...before.map((item) => item.sk as string), "FACTORS"])].sort());
    const factors = after.find((item) => item.sk === "FACTORS") ?? {};
    expect(Object.keys(factors).filter((name) => name.startsWith("team:"))).toEqual([]);
    expect((await ctx.api.get("/v1/me/teams", busy.token)).body.items).toEqual([]);
  });
});
