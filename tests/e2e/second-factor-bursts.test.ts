import { describe, expect, it } from "vitest";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { totpCode } from "../support/authenticator.js";
import { useSystem } from "../support/system.js";

/**
 * The attempt budgets under bursts, as an attacker sends them: dozens of guesses at once. The
 * numbers in the README's security section come from these runs.
 */
const ctx = useSystem();

const wrongCode = (secret: string, at?: Date) => String((Number(totpCode(secret, at)) + 500_000) % 1_000_000).padStart(6, "0");
const statuses = (answers: { status: number }[]) => answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});

async function events(user: TestUser, token = user.token) {
  await ctx.system.bus.idle();
  return (await ctx.api.get("/v1/me/security-events?limit=100", token)).body.items as { type: string; detail: any; userAgent?: string }[];
}

async function signedInWithTotp(name: string) {
  const user = await signUpAndLogin(ctx.api, name);
  const { secret, recoveryCodes } = await enableTotp(ctx.api, user);
  return { user, secret, recoveryCodes };
}

describe("second-factor budget under a burst", () => {
  it("answers at most 5 of 60 concurrent wrong codes as wrong, the rest 429, and locks once", async () => {
    const { user, secret } = await signedInWithTotp("Burst");
    const challenge = await startChallenge(ctx.api, user);
    const answers = await Promise.all(Array.from({ length: 60 }, () =>
      ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: wrongCode(secret) })));
    const counted = statuses(answers);
    console.info("60 concurrent wrong TOTP codes:", counted);
    expect(counted[401]).toBeLessThanOrEqual(5);
    expect((counted[401] ?? 0) + (counted[429] ?? 0)).toBe(60);
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.body.code).toBe("too_many_attempts");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // Locked now: even the right code is refused.
    expect((await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) })).status).toBe(429);
    const log = await events(user);
    expect(log.filter((e) => e.type === "AccountLocked")).toHaveLength(1);
    expect(log.filter((e) => e.type === "LoginFailed")).toHaveLength(counted[401]!);
  });

  it("with 59 wrong codes and 1 right one at once, answers at most one run of 5 as wrong on each side of the success", async () => {
    const { user, secret } = await signedInWithTotp("Mixed");
    const [guessed, owned] = [await startChallenge(ctx.api, user), await startChallenge(ctx.api, user)];
    const right = totpCode(secret);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => i === 30
      ? ctx.api.post(`/v1/auth/challenges/${owned}/totp`, { code: right })
      : ctx.api.post(`/v1/auth/challenges/${guessed}/totp`, { code: wrongCode(secret) })));
    const counted = statuses(answers);
    console.info("59 wrong and 1 right TOTP code at once:", counted);
    expect((counted[401] ?? 0) + (counted[429] ?? 0) + (counted[201] ?? 0)).toBe(60);
    // The right code is decided by the same write as the budget: it wins while the budget is open,
    // and is refused (429) once the wrong ones have spent it. A success ends the run of failures
    // (docs/api.md: 5 failures "in a row"), so the wrong ones may get one run of 5 before it and one after.
    expect([201, 429]).toContain(answers[30]!.status);
    expect(counted[401] ?? 0).toBeLessThanOrEqual(answers[30]!.status === 201 ? 10 : 5);
    expect((await events(user)).filter((e) => e.type === "AccountLocked").length).toBeLessThanOrEqual(1);
  });

  it("does not count a double-click: the same right code twice is one success and one uncounted 401", async () => {
    const { user, secret } = await signedInWithTotp("Double");
    const code = totpCode(secret);
    const [first, second] = await Promise.all([startChallenge(ctx.api, user), startChallenge(ctx.api, user)]);
    const answers = await Promise.all([
      ctx.api.post(`/v1/auth/challenges/${first}/totp`, { code }),
      ctx.api.post(`/v1/auth/challenges/${second}/totp`, { code }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401]);
    expect(answers.find((a) => a.status === 401)!.body.code).toBe("invalid_code");
    expect((await events(user)).filter((e) => e.type === "LoginFailed")).toHaveLength(0);
    expect((await ctx.system.runtime.deps.attempts.read(user.id, "second_factor")).failures).toBe(0);
  });

  it("counts a wrong code at reauthentication, and locks reauthentication like a login", async () => {
    const { user, secret } = await signedInWithTotp("Reauth");
    for (let i = 0; i < 5; i++) {
      const wrong = await ctx.api.post("/v1/me/reauthenticate", { code: wrongCode(secret) }, user.token);
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe("invalid_code");
    }
    const locked = await ctx.api.post("/v1/me/reauthenticate", { code: totpCode(secret) }, user.token);
    expect(locked.status).toBe(429);
    expect((await events(user)).filter((e) => e.type === "LoginFailed" && e.detail.stage === "second_factor")).toHaveLength(5);
  });
});

describe("password budget under a burst", () => {
  it("answers at most 10 of 200 concurrent wrong passwords as wrong, the rest 429", async () => {
    const user = await signUpAndLogin(ctx.api, "Passwords");
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      ctx.api.post("/v1/auth/login", { email: user.email, password: `wrong password ${i}` })));
    const counted = statuses(answers);
    console.info("200 concurrent wrong passwords:", counted);
    expect(counted[401]).toBeLessThanOrEqual(10);
    expect((counted[401] ?? 0) + (counted[429] ?? 0)).toBe(200);
    expect((await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(429);
  });

  it("with a 15 KB user agent on 40 concurrent wrong codes: no 5xx, and every counted failure is in the log", async () => {
    const { user, secret } = await signedInWithTotp("Agent");
    const challenge = await startChallenge(ctx.api, user);
    const userAgent = `Mozilla/5.0 ${"x".repeat(15 * 1024)}`;
    const answers = await Promise.all(Array.from({ length: 40 }, () =>
      ctx.api.call("POST", `/v1/auth/challenges/${challenge}/totp`, { body: { code: wrongCode(secret) }, headers: { "user-agent": userAgent } })));
    const counted = statuses(answers);
    console.info("40 concurrent wrong codes with a 15 KB user agent:", counted);
    expect(Object.keys(counted).every((status) => Number(status) < 500)).toBe(true);
    const failed = (await events(user)).filter((e) => e.type === "LoginFailed");
    expect(failed).toHaveLength(counted[401]!);
    for (const event of failed) expect((event.userAgent ?? "").length).toBeLessThanOrEqual(512);
  });
});

describe("recent authentication (sudo mode)", () => {
  it("keeps a stale session from adding or removing a factor until it reauthenticates", async () => {
    const { user, secret, recoveryCodes } = await signedInWithTotp("Stale");
    // A session opened by a password alone after 2FA was on cannot exist; one opened by a second
    // factor is recent for the window only. Travel past it.
    const login = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code: totpCode(secret) });
    const token = login.body.session.token as string;
    expect((await ctx.api.post("/v1/me/security-keys/options", undefined, token)).status).toBe(200);

    const { travel } = await import("../support/clock.js");
    const later = travel(ctx.system, 11 * 60_000);
    try {
      for (const [method, path, body] of [
        ["POST", "/v1/me/security-keys/options", undefined],
        ["POST", "/v1/me/security-keys", { name: "thief's key", response: { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "AAAA", attestationObject: "AAAA" } } }],
        ["DELETE", "/v1/me/security-keys/AAAA", undefined],
        ["POST", "/v1/me/recovery-codes", undefined],
      ] as const) {
        const refused = await ctx.api.call(method, path, { token, ...(body ? { body } : {}) });
        expect(refused.status, `${method} ${path}`).toBe(403);
        expect(refused.body.code).toBe("reauthentication_required");
      }
      // A code in the body is a fresh proof of its own.
      expect((await ctx.api.post("/v1/me/recovery-codes", { code: recoveryCodes[0] }, token)).status).toBe(200);

      const reauthenticated = await ctx.api.post("/v1/me/reauthenticate", { code: totpCode(secret, later.now()) }, token);
      expect(reauthenticated.status).toBe(200);
      expect(new Date(reauthenticated.body.reauthenticatedUntil).getTime()).toBe(new Date(reauthenticated.body.reauthenticatedUntil).getTime());
      expect(Math.round((new Date(reauthenticated.body.reauthenticatedUntil).getTime() - later.now().getTime()) / 1000)).toBeGreaterThan(590);
      expect((await ctx.api.post("/v1/me/security-keys/options", undefined, token)).status).toBe(200);
      expect((await ctx.api.post("/v1/me/recovery-codes", undefined, token)).status).toBe(200);
    } finally {
      later.restore();
    }
  });

  it("ends the user's other sessions when 2FA turns on; the activating session stays", async () => {
    const user = await signUpAndLogin(ctx.api, "Sessions");
    const other = (await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD })).body.session.token as string;
    expect((await ctx.api.get("/v1/me", other)).status).toBe(200);
    await enableTotp(ctx.api, user);
    expect((await ctx.api.get("/v1/me", other)).status).toBe(401);
    expect((await ctx.api.get("/v1/me", user.token)).status).toBe(200);
  });
});

describe("regeneration", () => {
  it("of four at once, each with its own valid recovery code, stores one set; the others answer 409 or 401", async () => {
    const { user, recoveryCodes } = await signedInWithTotp("Regen");
    const answers = await Promise.all(recoveryCodes.slice(0, 4).map((code) => ctx.api.post("/v1/me/recovery-codes", { code }, user.token)));
    const counted = statuses(answers);
    console.info("4 concurrent regenerations:", counted);
    expect(counted[200]).toBe(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect([[409, "conflict"], [401, "invalid_code"]]).toContainEqual([answer.status, answer.body.code]);
    }
    const winner = answers.find((a) => a.status === 200)!.body.recoveryCodes as string[];
    const me = await ctx.api.get("/v1/me", user.token);
    expect(me.body.user.recoveryCodesRemaining).toBe(10);
    const login = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: winner[0] });
    expect(login.status).toBe(201);
  });
});
