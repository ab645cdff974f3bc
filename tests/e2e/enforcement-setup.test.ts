import { describe, expect, it } from "vitest";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { useSystem } from "../support/system.js";
import { accept, addMember, createTeam, invite, newMember, put } from "../support/teams.js";

const ctx = useSystem();

async function enforcingTeam(): Promise<{ owner: TestUser; team: string }> {
  const owner = await signUpAndLogin(ctx.api, "Owner");
  await enableTotp(ctx.api, owner);
  const team = await createTeam(ctx.api, owner);
  return { owner, team };
}

async function enforce(owner: TestUser, team: string, enabled: boolean): Promise<void> {
  expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled }, owner.token)).status).toBe(202);
  await ctx.system.bus.idle();
}

const fullRoute = (user: { token: string }) => ctx.api.get("/v1/me/security-events", user.token);

describe("setup-scoped sessions", () => {
  it("holds a member flagged while signed in to setup from the next request, and enrolling makes the session full", async () => {
    const { owner, team } = await enforcingTeam();
    const member = await newMember(ctx.api, team, owner, "auditor", "Auditor");
    expect((await fullRoute(member)).status).toBe(200);
    const admin = await signUpAndLogin(ctx.api, "NoTwoFactorAdmin");
    await newMember(ctx.api, team, owner, "admin", "Admin");
    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, admin.token)).status).toBe(404);

    await enforce(owner, team, true);

    const held = await fullRoute(member);
    expect(held.status).toBe(403);
    expect(held.body.code).toBe("two_factor_setup_required");
    const me = await ctx.api.get("/v1/me", member.token);
    expect(me.status).toBe(200);
    expect(me.body.user.twoFactor).toMatchObject({ enabled: false, needsSetup: true, enforcedBy: [team] });
    const ownerView = await ctx.api.get("/v1/me", owner.token);
    expect(ownerView.body.user.twoFactor).toMatchObject({ enabled: true, needsSetup: false, enforcedBy: [team] });

    const login = await ctx.api.post("/v1/auth/login", { email: member.email, password: PASSWORD });
    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ status: "setup_required", session: { scope: "setup" }, user: { twoFactor: { needsSetup: true } } });
    const setup = { token: login.body.session.token as string };
    expect((await fullRoute(setup)).status).toBe(403);

    const enrollment = await ctx.api.post("/v1/me/totp", undefined, setup.token);
    expect(enrollment.status).toBe(201);
    const activation = await ctx.api.post("/v1/me/totp/activate", { code: totpCode(enrollment.body.secret, inSteps(-1)) }, setup.token);
    expect(activation.status).toBe(200);
    expect((await fullRoute(setup)).status).toBe(200);
    expect((await ctx.api.get("/v1/me", setup.token)).body.user.twoFactor).toMatchObject({ enabled: true, needsSetup: false, enforcedBy: [team] });

    const removal = await ctx.api.delete("/v1/me/totp", { code: totpCode(enrollment.body.secret) }, setup.token);
    expect(removal.status).toBe(409);
    expect(removal.body.code).toBe("enforced_by_team");
    // Decided before the code was checked: the same code still works for a login.
    const challenge = await startChallenge(ctx.api, { ...member, token: setup.token });
    expect((await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(enrollment.body.secret) })).status).toBe(201);
  });

  it("flags a member added to an enforcing team at once, and releases one removed or when enforcement is off", async () => {
    const { owner, team } = await enforcingTeam();
    await enforce(owner, team, true);
    const joiner = await newMember(ctx.api, team, owner, "member", "Joiner");
    expect((await fullRoute(joiner)).status).toBe(403);
    const listed = await ctx.api.get(`/v1/teams/${team}/members`, owner.token);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ userId: joiner.id, twoFactorEnabled: false, needsSetup: true }));

    expect((await ctx.api.delete(`/v1/teams/${team}/members/${joiner.id}`, undefined, owner.token)).status).toBe(204);
    expect((await fullRoute(joiner)).status).toBe(200);
    expect((await ctx.api.get("/v1/me", joiner.token)).body.user.twoFactor).toMatchObject({ needsSetup: false, enforcedBy: [] });

    // Held by two teams: turning one off does not release the member.
    const second = await enforcingTeam();
    await enforce(second.owner, second.team, true);
    // Joins the second team first: once a team holds them, a member may only set up (accepting included).
    const both = await newMember(ctx.api, second.team, second.owner, "member", "Both");
    await ctx.system.bus.idle();
    const invitation = await invite(ctx.api, team, owner, both.email, "member");
    expect((await ctx.api.post(`/v1/me/invitations/${invitation}/accept`, undefined, both.token)).status).toBe(403);
    await enforce(second.owner, second.team, false);
    await accept(ctx.api, both, invitation);
    await enforce(second.owner, second.team, true);
    await enforce(owner, team, false);
    expect((await fullRoute(both)).status).toBe(403);
    expect((await ctx.api.get("/v1/me", both.token)).body.user.twoFactor.enforcedBy).toEqual([second.team]);
    await enforce(second.owner, second.team, false);
    expect((await fullRoute(both)).status).toBe(200);
    const rollout = (await ctx.api.get(`/v1/teams/${second.team}/enforcement`, second.owner.token)).body.enforcement;
    expect(rollout).toMatchObject({ enabled: false, enabledAt: null, rollout: { state: "complete", membersNeedingSetup: 0, membersProcessed: 2 } });
  });

  it("holds a session whose login read the member before the fan-out held them, from its first request", async () => {
    const { owner, team } = await enforcingTeam();
    const member = await newMember(ctx.api, team, owner, "member", "Racer");
    // Hook at the AWS API boundary: the login's session write waits while enforcement is turned
    // on and its whole fan-out runs, after the login read the member as free.
    let armed = true;
    const name = "login-race";
    ctx.system.runtime.table.client.middlewareStack.add((next) => async (args) => {
      const key = (args.input as { Key?: { pk?: string } }).Key;
      if (armed && key?.pk === `SESSIONS#${member.id}`) {
        armed = false;
        await enforce(owner, team, true);
      }
      return next(args);
    }, { step: "initialize", name });
    try {
      const login = await ctx.api.post("/v1/auth/login", { email: member.email, password: PASSWORD });
      expect(armed).toBe(false);
      expect(login.status).toBe(201);
      // The scope is the state's at each request, not what the login saw.
      const first = await fullRoute({ token: login.body.session.token });
      expect(first.status).toBe(403);
      expect(first.body.code).toBe("two_factor_setup_required");
      expect((await fullRoute(member)).status).toBe(403);
    } finally {
      ctx.system.runtime.table.client.middlewareStack.remove(name);
    }
  });

  it("lets a removal of the last factor lose to a team's hold that arrives while it is decided", async () => {
    const { owner, team } = await enforcingTeam();
    await enforce(owner, team, true);
    const user = await signUpAndLogin(ctx.api, "Remover");
    const { secret } = await enableTotp(ctx.api, user);
    let armed = true;
    const name = "removal-race";
    ctx.system.runtime.table.client.middlewareStack.add((next) => async (args) => {
      const input = args.input as { Key?: { pk?: string }; ConditionExpression?: string };
      if (armed && input.Key?.pk === `USER#${user.id}` && input.ConditionExpression?.includes("holdsVersion")) {
        armed = false;
        await addMember(ctx.api, team, owner, user, "member");
      }
      return next(args);
    }, { step: "initialize", name });
    try {
      const raced = await ctx.api.delete("/v1/me/totp", { code: totpCode(secret) }, user.token);
      expect(armed).toBe(false);
      expect(raced.status).toBe(409);
      expect(raced.body.code).toBe("conflict");
      const again = await ctx.api.delete("/v1/me/totp", { code: totpCode(secret, inSteps(1)) }, user.token);
      expect(again.body.code).toBe("enforced_by_team");
      expect((await ctx.api.get("/v1/me", user.token)).body.user.twoFactor).toMatchObject({ enabled: true, enforcedBy: [team] });
    } finally {
      ctx.system.runtime.table.client.middlewareStack.remove(name);
    }
  });

  it("refuses enforcement changes by an admin without 2FA", async () => {
    const owner = await signUpAndLogin(ctx.api, "Owner");
    const team = await createTeam(ctx.api, owner);
    const res = await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("admin_needs_two_factor");
  });
});
