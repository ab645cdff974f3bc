import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { currentHandler, type LocalRuntime } from "@twofactor/local";
import { inSteps, totpCode } from "../support/authenticator.js";
import { testClock, travel } from "../support/clock.js";
import { callFrom } from "../support/from-address.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { holdWritesUntilRead, type StoreCall } from "../support/race-gate.js";
import { useSystem } from "../support/system.js";
import { accept, createTeam, invite, newMember, put } from "../support/teams.js";
import { SoftwareKey } from "../infra/software-key.js";

/**
 * Every credential is fenced by the change that ends it. Each test here forces one interleaving of
 * two features with a hook at the AWS API boundary (the runtime's DynamoDB client), then checks
 * what the user — or an attacker — sees through the API. A reset takes effect 20 s after it is
 * asked for, so that a TOTP code computed before the clock passes that moment is still in its window.
 */
const RESET_DELAY_SECONDS = 20;
const ctx = useSystem({ env: { TEAM_RESET_DELAY_SECONDS: String(RESET_DELAY_SECONDS) } });
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.91 Safari/537.36";

/**
 * Runs `act` once, before the first store call `matches` picks is sent (the call then proceeds), if
 * that call comes from `handler` (any, when omitted). Returns the unhook and whether it ran.
 */
function before(system: LocalRuntime, matches: (call: StoreCall) => boolean, act: () => Promise<void>, handler?: string) {
  const name = `before-${randomUUID()}`;
  const state = { ran: false };
  system.runtime.table.client.middlewareStack.add((next, context) => async (args) => {
    const call = { command: context.commandName ?? "", input: args.input as StoreCall["input"] };
    if (!state.ran && matches(call) && (!handler || currentHandler() === handler)) {
      state.ran = true;
      await act();
    }
    return next(args);
  }, { step: "initialize", name });
  return { state, unhook: () => system.runtime.table.client.middlewareStack.remove(name) };
}

/** A write of the user's FACTORS item whose condition, or the attribute names it uses, mention `part`. */
const factorsWrite = (userId: string, part: string) => ({ command, input }: StoreCall) => {
  const { ConditionExpression = "", ExpressionAttributeNames = {} } = input as { ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string> };
  return command === "UpdateItemCommand" && input.Key?.pk === `USER#${userId}` && input.Key.sk === "FACTORS"
    && (ConditionExpression.includes(part) || Object.values(ExpressionAttributeNames).some((name) => name.startsWith(part)));
};

async function enforcingTeam(): Promise<{ owner: TestUser; team: string }> {
  const owner = await signUpAndLogin(ctx.api, "Owner");
  await enableTotp(ctx.api, owner);
  const team = await createTeam(ctx.api, owner);
  return { owner, team };
}

async function enforce(owner: TestUser, team: string, enabled: boolean) {
  expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled }, owner.token)).status).toBe(202);
  await ctx.system.bus.idle();
}

/** The accept request itself (the consumer that finishes joins writes the same items). */
const ACCEPT = "functions/http/accept-invitation.handler";

const fullRoute = (token: string) => ctx.api.get("/v1/me/security-events", token);

describe("a reset and a second-factor login", () => {
  it("a reset asked for between the login's read and its proof: the login's session ends when the reset takes effect", async () => {
    const { owner, team } = await enforcingTeam();
    const member = await newMember(ctx.api, team, owner, "member", "Member");
    const { secret } = await enableTotp(ctx.api, member);
    await enforce(owner, team, true);
    const challenge = await startChallenge(ctx.api, member);
    // The proof's write (it completes the challenge) waits for the admin's request.
    const hook = before(ctx.system, factorsWrite(member.id, "challenge:"), async () => {
      expect((await ctx.api.post(`/v1/teams/${team}/members/${member.id}/two-factor-reset`, undefined, owner.token)).status).toBe(202);
    });
    const login = await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) }).finally(hook.unhook);
    expect(hook.state.ran).toBe(true);
    expect(login.status).toBe(201);
    const token = login.body.session.token as string;
    // The proof did not see the reset, so it did not cancel it: it still stands, and takes effect.
    expect((await ctx.api.get("/v1/me", token)).body.user.twoFactor.pendingReset).toMatchObject({ teamId: team });
    const later = travel(ctx.system, (RESET_DELAY_SECONDS + 1) * 1000);
    try {
      expect((await ctx.api.get("/v1/me", token)).status).toBe(401);
      // Nothing ran at effectiveAt: the session's own lookup saw it.
      expect((await ctx.api.post("/v1/auth/login", { email: member.email, password: PASSWORD })).body.status).toBe("setup_required");
    } finally {
      later.restore();
    }
  });

  it("a reset whose time comes between the login's read and its proof: no session, and the factors are gone", async () => {
    const { owner, team } = await enforcingTeam();
    const member = await newMember(ctx.api, team, owner, "member", "Member");
    const { secret } = await enableTotp(ctx.api, member);
    await enforce(owner, team, true);
    expect((await ctx.api.post(`/v1/teams/${team}/members/${member.id}/two-factor-reset`, undefined, owner.token)).status).toBe(202);
    const challenge = await startChallenge(ctx.api, member);
    const code = totpCode(secret);
    // The login reads the account (with its pending reset), then the clock passes effectiveAt
    // before its proof is decided and written (the network budget is read in between). The code
    // stays in its window: the clock moves 21 s, less than a step.
    const hook = before(ctx.system, ({ command, input }) => command === "GetItemCommand" && Boolean(input.Key?.pk?.startsWith("NETWORK#")), async () => {
      testClock.advance((RESET_DELAY_SECONDS + 1) * 1000);
    });
    const login = await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code }).finally(hook.unhook);
    expect(hook.state.ran).toBe(true);
    expect([login.status, login.body.code]).toEqual([404, "challenge_not_found"]);
    expect((await ctx.api.get("/v1/me", member.token)).status).toBe(401);
    const again = await ctx.api.post("/v1/auth/login", { email: member.email, password: PASSWORD });
    expect(again.body).toMatchObject({ status: "setup_required", user: { twoFactor: { enabled: false } } });
  });
});

describe("password logins and turning 2FA on", () => {
  it("logins that read the account before the activation and store their sessions after it leave no live session", async () => {
    const user = await signUpAndLogin(ctx.api, "Victim");
    const enrollment = await ctx.api.post("/v1/me/totp", undefined, user.token);
    // Eight password logins read the account; their session writes wait until the activation has answered.
    let release!: () => void;
    const activated = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    let allHeld!: () => void;
    const everyLoginHeld = new Promise<void>((resolve) => (allHeld = resolve));
    const name = `sessions-after-activation-${randomUUID()}`;
    ctx.system.runtime.table.client.middlewareStack.add((next, context) => async (args) => {
      const input = args.input as { Key?: { pk?: string }; ConditionExpression?: string };
      if (context.commandName === "UpdateItemCommand" && input.Key?.pk === `SESSIONS#${user.id}` && input.ConditionExpression === "attribute_not_exists(pk)") {
        if (++held === 8) allHeld();
        await activated;
      }
      return next(args);
    }, { step: "initialize", name });
    try {
      const logins = Array.from({ length: 8 }, () => ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD }));
      await everyLoginHeld;
      const activation = await ctx.api.post("/v1/me/totp/activate", { code: totpCode(enrollment.body.secret, inSteps(-1)) }, user.token);
      expect(activation.status).toBe(200);
      release();
      const answered = await Promise.all(logins);
      expect(answered.map((a) => a.body.status)).toEqual(Array(8).fill("authenticated"));
      for (const login of answered) expect((await ctx.api.get("/v1/me", login.body.session.token)).status).toBe(401);
      // The session that turned 2FA on lives on, and is recent.
      expect((await ctx.api.get("/v1/me", user.token)).body.user.twoFactor.enabled).toBe(true);
      expect((await ctx.api.post("/v1/me/security-keys/options", undefined, user.token)).status).toBe(200);
    } finally {
      ctx.system.runtime.table.client.middlewareStack.remove(name);
      release();
    }
  });
});

describe("a held member's enrollment", () => {
  it("that loses to a restarted enrollment leaves the session held to setup", async () => {
    const { owner, team } = await enforcingTeam();
    await enforce(owner, team, true);
    const member = await signUpAndLogin(ctx.api, "Held");
    await accept(ctx.api, member, await invite(ctx.api, team, owner, member.email, "member"));
    const first = await ctx.api.post("/v1/me/totp", undefined, member.token);
    // The activation's write waits while the enrollment is restarted (a new secret).
    const hook = before(ctx.system, factorsWrite(member.id, "totpSecret IN ("), async () => {
      expect((await ctx.api.post("/v1/me/totp", undefined, member.token)).status).toBe(201);
    });
    const activation = await ctx.api.post("/v1/me/totp/activate", { code: totpCode(first.body.secret, inSteps(-1)) }, member.token).finally(hook.unhook);
    expect(hook.state.ran).toBe(true);
    expect([activation.status, activation.body.code]).toEqual([409, "conflict"]);
    const team403 = await ctx.api.get(`/v1/teams/${team}`, member.token);
    expect([team403.status, team403.body.code]).toEqual([403, "two_factor_setup_required"]);
    expect((await ctx.api.get("/v1/me", member.token)).body.user.twoFactor).toMatchObject({ enabled: false, needsSetup: true });
  });
});

describe("trusted devices", () => {
  async function userWithDevice() {
    const user = await signUpAndLogin(ctx.api, "Traveller");
    const { secret, recoveryCodes } = await enableTotp(ctx.api, user);
    const login = await callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/login`, "POST", { email: user.email, password: PASSWORD }, { "user-agent": BROWSER });
    const done = await callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/challenges/${login.body.challenge.id}/totp`, "POST",
      { code: totpCode(secret), rememberDevice: true }, { "user-agent": BROWSER });
    expect(done.status).toBe(201);
    return { user, secret, recoveryCodes, deviceToken: done.body.deviceToken as string, token: done.body.session.token as string };
  }
  const withDevice = (user: TestUser, deviceToken: string, from = "127.0.0.1") =>
    callFrom(from, `${ctx.system.url}/v1/auth/login`, "POST", { email: user.email, password: PASSWORD }, { "user-agent": BROWSER, "x-device-token": deviceToken });

  it("are forgotten when a factor change answers, though the consumer that tidies up never runs", async () => {
    const { user, recoveryCodes, deviceToken, token } = await userWithDevice();
    expect((await withDevice(user, deviceToken)).body.status).toBe("authenticated");
    ctx.system.bus.pauseDeliveries();
    try {
      expect((await ctx.api.post("/v1/me/recovery-codes", { code: recoveryCodes[0] }, token)).status).toBe(200);
      expect((await withDevice(user, deviceToken)).body.status).toBe("two_factor_required");
      expect((await ctx.api.get("/v1/me/devices", token)).body.items).toEqual([]);
    } finally {
      ctx.system.bus.resumeDeliveries();
    }
  });

  it("that came back changed trust nothing any more, from anywhere, though the consumer never runs", async () => {
    const { user, deviceToken } = await userWithDevice();
    ctx.system.bus.pauseDeliveries();
    try {
      expect((await withDevice(user, deviceToken, "127.0.1.1")).body.status).toBe("two_factor_required");
      expect((await withDevice(user, deviceToken, "127.0.0.1")).body.status).toBe("two_factor_required");
    } finally {
      ctx.system.bus.resumeDeliveries();
    }
  });

  it("stay at most 20 under a burst of remembered sign-ins, and one presented token is replaced once", { timeout: 60_000 }, async () => {
    const user = await signUpAndLogin(ctx.api, "Many");
    const { recoveryCodes } = await enableTotp(ctx.api, user);
    // 15 devices, one after another, signed in with a security key (its counter rises each time).
    const key = new SoftwareKey(new URL(ctx.system.url).origin, "localhost");
    const creation = await ctx.api.post("/v1/me/security-keys/options", undefined, user.token);
    expect((await ctx.api.post("/v1/me/security-keys", { name: "key", response: key.register(creation.body.options) }, user.token)).status).toBe(201);
    for (let i = 0; i < 15; i++) {
      const challenge = await startChallenge(ctx.api, user);
      const options = await ctx.api.post(`/v1/auth/challenges/${challenge}/webauthn/options`);
      const done = await ctx.api.post(`/v1/auth/challenges/${challenge}/webauthn`, { response: key.authenticate(options.body.options), rememberDevice: true });
      expect(done.body.deviceToken).toBeDefined();
    }
    const signIn = (challenge: string, code: string, deviceToken?: string) =>
      callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/challenges/${challenge}/recovery-code`, "POST",
        { code, rememberDevice: true }, deviceToken ? { "x-device-token": deviceToken } : {});
    // Each burst: every sign-in reads the devices before any of them takes a place.
    const burst = async (codes: string[], deviceToken?: string) => {
      const challenges = await Promise.all(codes.map(() => startChallenge(ctx.api, user)));
      const gate = holdWritesUntilRead(ctx.system, codes.length,
        ({ command, input }) => command === "QueryCommand" && input.ExpressionAttributeValues?.[":pk"] === `USER#${user.id}`,
        ({ command, input }) => command === "UpdateItemCommand" && Boolean(input.Key?.sk?.startsWith("DEVICE#")));
      return Promise.all(challenges.map((challenge, i) => signIn(challenge, codes[i]!, deviceToken))).finally(gate);
    };

    // Five new ones at once, past the cap: the least recently used go, never more than 20 stay.
    const added = await burst(recoveryCodes.slice(0, 5));
    expect(added.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(added.filter((r) => r.body.deviceToken)).toHaveLength(5);
    const session = added[0]!.body.session.token as string;
    const devices = async () => (await ctx.api.get("/v1/me/devices?limit=100", session)).body.items as { id: string }[];
    expect(await devices()).toHaveLength(20);

    // Five at once presenting the same live token: the first stored replaces it, the others sign in with none.
    const replaced = await burst(recoveryCodes.slice(5, 10), added[1]!.body.deviceToken as string);
    expect(replaced.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(replaced.filter((r) => r.body.deviceToken)).toHaveLength(1);
    expect(await devices()).toHaveLength(20);
    expect((await callFrom("127.0.0.1", `${ctx.system.url}/v1/auth/login`, "POST", { email: user.email, password: PASSWORD },
      { "x-device-token": added[1]!.body.deviceToken as string })).body.status).toBe("two_factor_required");
  });
});

/** Turns enforcement on and waits for its rollout to complete (without waiting for the other consumers). */
async function switchOn(owner: TestUser, team: string) {
  expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
  for (let tries = 0; tries < 2000; tries++) {
    const rollout = (await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout;
    if (rollout.state === "complete") return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the rollout did not complete");
}

describe("memberships and rollouts", () => {
  it("a member removed while an enabling rollout reaches them ends free: the removal wins over the rollout's late write", async () => {
    const { owner, team } = await enforcingTeam();
    const members = await Promise.all(Array.from({ length: 3 }, (_, i) => newMember(ctx.api, team, owner, "member", `M${i}`)));
    for (const member of members) {
      // The rollout's write for this member waits for the member's removal.
      const hook = before(ctx.system, factorsWrite(member.id, "#team.g < :g"), async () => {
        expect((await ctx.api.delete(`/v1/teams/${team}/members/${member.id}`, undefined, owner.token)).status).toBe(204);
      }, "functions/events/team-enforcement.handler");
      await enforce(owner, team, true);
      hook.unhook();
      expect(hook.state.ran).toBe(true);
      expect((await fullRoute(member.token)).status).toBe(200);
      expect((await ctx.api.get("/v1/me", member.token)).body.user.twoFactor).toMatchObject({ needsSetup: false, enforcedBy: [] });
      await enforce(owner, team, false);
    }
  });

  it("a member who turns 2FA on between the rollout's read of their page and its write is held, never flagged", async () => {
    const { owner, team } = await enforcingTeam();
    const member = await newMember(ctx.api, team, owner, "member", "Quick");
    // The rollout read the member without a factor; its one write that holds and flags them waits for the activation.
    const hook = before(ctx.system, factorsWrite(member.id, "#team.g < :g"), async () => {
      await enableTotp(ctx.api, member);
    }, "functions/events/team-enforcement.handler");
    await enforce(owner, team, true);
    hook.unhook();
    expect(hook.state.ran).toBe(true);
    expect((await ctx.api.get("/v1/me", member.token)).body.user.twoFactor).toMatchObject({ enabled: true, needsSetup: false, enforcedBy: [team] });
    const log = (await fullRoute(member.token)).body.items as { type: string }[];
    expect(log.map((entry) => entry.type)).toContain("TwoFactorEnabled");
    expect(log.map((entry) => entry.type)).not.toContain("MemberFlaggedForSetup");
    expect((await ctx.api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout).toMatchObject({ state: "complete", membersNeedingSetup: 0 });
  });

  it("a member who joins while enforcement is switched on ends held, whichever write lands first", { timeout: 90_000 }, async () => {
    const { owner, team } = await enforcingTeam();
    // 1. The switch and its whole rollout run between the joiner's side and the team's side of the join.
    const early = await signUpAndLogin(ctx.api, "Early");
    const firstInvitation = await invite(ctx.api, team, owner, early.email, "member");
    let hook = before(ctx.system, ({ command, input }) => command === "PutItemCommand" && input.Key === undefined
      && (args(input).Item?.pk === `TEAM#${team}` && args(input).Item?.sk === `MEMBER#${early.id}`), () => switchOn(owner, team), ACCEPT);
    await accept(ctx.api, early, firstInvitation).finally(hook.unhook);
    expect(hook.state.ran).toBe(true);
    expect((await fullRoute(early.token)).status).toBe(403);

    // 2. The switch and its rollout run after the team's side was read (as not enforcing) and before the join's own match.
    await enforce(owner, team, false);
    const late = await signUpAndLogin(ctx.api, "Late");
    const secondInvitation = await invite(ctx.api, team, owner, late.email, "member");
    hook = before(ctx.system, factorsWrite(late.id, "#team.g < :g"), () => switchOn(owner, team), ACCEPT);
    await accept(ctx.api, late, secondInvitation).finally(hook.unhook);
    expect(hook.state.ran).toBe(true);
    expect((await fullRoute(late.token)).status).toBe(403);
    expect((await ctx.api.get("/v1/me", late.token)).body.user.twoFactor).toMatchObject({ needsSetup: true, enforcedBy: [team] });
  });
});

function args(input: StoreCall["input"]): { Item?: { pk?: string; sk?: string } } {
  return input as { Item?: { pk?: string; sk?: string } };
}
