import { describe, expect, it } from "vitest";
import { totpCode } from "../support/authenticator.js";
import { testClock, travel } from "../support/clock.js";
import { callFrom } from "../support/from-address.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { useSystem } from "../support/system.js";
import { createTeam, newMember, put } from "../support/teams.js";

/** A short delay, so that sessions (12 h) and trusted devices (30 days) outlive it on the test clock. */
const DELAY_SECONDS = 600;
const ctx = useSystem({ env: { TEAM_RESET_DELAY_SECONDS: String(DELAY_SECONDS) } });
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.91 Safari/537.36";

interface Entry { type: string; actor: string; userId?: string; detail: Record<string, unknown> }

async function log(path: string, token: string): Promise<Entry[]> {
  await ctx.system.bus.idle();
  const res = await ctx.api.get(`${path}?limit=100`, token);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** An owner with 2FA and an enforcing team, and a member of it with an authenticator app. */
async function enforcingTeamWithMember(): Promise<{ owner: TestUser; team: string; member: TestUser; secret: string }> {
  const owner = await signUpAndLogin(ctx.api, "Owner");
  await enableTotp(ctx.api, owner);
  const team = await createTeam(ctx.api, owner);
  const member = await newMember(ctx.api, team, owner, "member", "LostPhone");
  const { secret } = await enableTotp(ctx.api, member);
  expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
  await ctx.system.bus.idle();
  return { owner, team, member, secret };
}

const askReset = (team: string, owner: TestUser, member: TestUser) =>
  ctx.api.post(`/v1/teams/${team}/members/${member.id}/two-factor-reset`, undefined, owner.token);

/** Password, then the authenticator app's code for `at`, remembering the device; answers the session and the device token. */
async function signInWithApp(member: TestUser, secret: string, at: Date) {
  const login = await callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/login`, "POST", { email: member.email, password: PASSWORD }, { "user-agent": BROWSER });
  expect(login.body.status).toBe("two_factor_required");
  const done = await callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/challenges/${login.body.challenge.id}/totp`, "POST",
    { code: totpCode(secret, at), rememberDevice: true }, { "user-agent": BROWSER });
  expect(done.status).toBe(201);
  return { token: done.body.session.token as string, deviceToken: done.body.deviceToken as string };
}

const signInWithDevice = (member: TestUser, deviceToken: string) =>
  callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/login`, "POST", { email: member.email, password: PASSWORD }, { "user-agent": BROWSER, "x-device-token": deviceToken });

describe("an admin's reset of a member's 2FA", () => {
  it("waits, shows, is cancelled by a proof, and once its time has come has taken effect whether or not anything ran", async () => {
    const { owner, team, member, secret } = await enforcingTeamWithMember();
    const trusted = await signInWithApp(member, secret, testClock.now());

    // Requested: nothing changes yet, the member is told and sees it.
    const asked = await askReset(team, owner, member);
    expect(asked.status).toBe(202);
    expect(asked.body.reset).toEqual({ userId: member.id, teamId: team, requestedBy: owner.id, requestedAt: expect.any(String), effectiveAt: expect.any(String) });
    expect(Date.parse(asked.body.reset.effectiveAt) - Date.parse(asked.body.reset.requestedAt)).toBe(DELAY_SECONDS * 1000);
    expect((await askReset(team, owner, member)).body.code).toBe("reset_pending");
    const me = await ctx.api.get("/v1/me", trusted.token);
    expect(me.body.user.twoFactor).toMatchObject({ enabled: true, pendingReset: { teamId: team, requestedBy: owner.id, effectiveAt: asked.body.reset.effectiveAt } });
    expect((await log("/v1/me/security-events", trusted.token)).filter((e) => e.type === "TwoFactorResetRequested")).toHaveLength(1);
    expect((await log(`/v1/teams/${team}/audit-events`, owner.token)).filter((e) => e.type === "TwoFactorResetRequested")).toHaveLength(1);
    // A trusted device's sign-in proves no factor: it cancels nothing.
    expect((await signInWithDevice(member, trusted.deviceToken)).body.status).toBe("authenticated");
    expect((await ctx.api.get("/v1/me", trusted.token)).body.user.twoFactor.pendingReset).not.toBeNull();

    // A successful challenge cancels it.
    const challenge = await startChallenge(ctx.api, member);
    expect((await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret, new Date(testClock.now().getTime() + 30_000)) })).status).toBe(201);
    expect((await ctx.api.get("/v1/me", trusted.token)).body.user.twoFactor.pendingReset).toBeNull();
    expect((await log("/v1/me/security-events", trusted.token)).find((e) => e.type === "TwoFactorResetCancelled")?.detail).toMatchObject({ reason: "proved_factor" });

    // Asked again, and let its time come: nothing runs in between.
    const again = await askReset(team, owner, member);
    expect(again.status).toBe(202);
    const later = travel(ctx.system, DELAY_SECONDS * 1000 + 1000);
    try {
      expect((await ctx.api.get("/v1/me", trusted.token)).status).toBe(401);
      expect((await ctx.api.get("/v1/me", member.token)).status).toBe(401);
      const next = await signInWithDevice(member, trusted.deviceToken);
      expect(next.body).toMatchObject({ status: "setup_required", session: { scope: "setup" }, user: { twoFactor: { enabled: false, methods: [], needsSetup: true, pendingReset: null } } });
      expect(next.body.user.recoveryCodesRemaining).toBe(0);
      // The timers' sweep finds it written already (by that login), and writes nothing twice.
      expect((await ctx.system.sweepResets()).applied).toBe(0);
      const events = await log(`/v1/teams/${team}/audit-events`, owner.token);
      expect(events.filter((e) => e.type === "TwoFactorReset")).toEqual([
        expect.objectContaining({ actor: owner.id, userId: member.id, detail: expect.objectContaining({ totpRemoved: true, securityKeysRemoved: 0 }) }),
      ]);
      expect(events.filter((e) => e.type === "MemberFlaggedForSetup" && e.userId === member.id).map((e) => e.detail.reason)).toContain("reset");
      expect(JSON.stringify(events)).not.toContain(secret);
      // The app's codes open nothing any more.
      const held = await ctx.api.post("/v1/auth/login", { email: member.email, password: PASSWORD });
      expect(held.body.status).toBe("setup_required");
    } finally {
      later.restore();
    }
  });

  it("takes effect for a member who never comes back, by the timers' sweep, once", async () => {
    const { owner, team, member } = await enforcingTeamWithMember();
    expect((await askReset(team, owner, member)).status).toBe(202);
    expect((await ctx.system.sweepResets()).applied).toBe(0);
    const later = travel(ctx.system, DELAY_SECONDS * 1000 + 1000);
    try {
      expect((await ctx.system.sweepResets()).applied).toBe(1);
      expect((await ctx.system.sweepResets()).applied).toBe(0);
      expect((await log(`/v1/teams/${team}/audit-events`, owner.token)).filter((e) => e.type === "TwoFactorReset")).toHaveLength(1);
    } finally {
      later.restore();
    }
  });

  it("is cancelled by leaving the team, and an admin cannot hurry it", async () => {
    const { owner, team, member, secret } = await enforcingTeamWithMember();
    expect((await askReset(team, owner, member)).status).toBe(202);
    expect((await askReset(team, owner, member)).status).toBe(409);
    expect((await ctx.api.delete(`/v1/teams/${team}/members/${member.id}`, undefined, owner.token)).status).toBe(204);
    const challenge = await startChallenge(ctx.api, member);
    const session = await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) });
    expect(session.status).toBe(201);
    const token = session.body.session.token as string;
    expect((await ctx.api.get("/v1/me", token)).body.user.twoFactor).toMatchObject({ enabled: true, pendingReset: null });
    expect((await log("/v1/me/security-events", token)).find((e) => e.type === "TwoFactorResetCancelled")?.detail).toMatchObject({ reason: "left_team" });
    const later = travel(ctx.system, DELAY_SECONDS * 1000 + 1000);
    try {
      expect((await ctx.system.sweepResets()).applied).toBe(0);
      expect((await ctx.api.get("/v1/me", token)).body.user.twoFactor.enabled).toBe(true);
    } finally {
      later.restore();
    }
  });
});
