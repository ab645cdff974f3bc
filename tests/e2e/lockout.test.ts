import { afterEach, describe, expect, it } from "vitest";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge } from "../support/flows.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { travel } from "../support/clock.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem();
let restore = () => {};
afterEach(() => restore());

const wrongCode = (secret: string, at?: Date) => String((Number(totpCode(secret, at)) + 500_000) % 1_000_000).padStart(6, "0");

describe("second-factor lockout", () => {
  it("locks the second factor after 5 failures in a row, across challenges, even for a right code", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret, recoveryCodes } = await enableTotp(ctx.api, user);
    for (let i = 0; i < 5; i++) {
      const res = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code: wrongCode(secret) });
      expect(res.status).toBe(401);
    }
    const id = await startChallenge(ctx.api, user); // the password is still checked and still answers two_factor_required
    const locked = await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(secret) });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("too_many_attempts");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect((await ctx.api.post(`/v1/auth/challenges/${id}/recovery-code`, { code: recoveryCodes[0] })).status).toBe(429);
    expect((await ctx.api.delete("/v1/me/totp", { code: totpCode(secret) }, user.token)).status).toBe(429);
    expect((await ctx.api.post("/v1/me/recovery-codes", { code: recoveryCodes[1] }, user.token)).status).toBe(429);

    await ctx.system.bus.idle();
    const log = (await ctx.api.get("/v1/me/security-events?limit=100", user.token)).body.items;
    const lockEvents = log.filter((e: { type: string }) => e.type === "AccountLocked");
    expect(lockEvents).toHaveLength(1);
    expect(lockEvents[0].detail).toMatchObject({ scope: "second_factor" });
    expect(log.filter((e: { type: string }) => e.type === "LoginFailed")).toHaveLength(5);

    // 15 minutes later the same challenge flow works again, and recovery codes were not spent by the lock.
    const later = travel(ctx.system, 15 * 60_000 + 1_000);
    restore = later.restore;
    const after = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code: totpCode(secret, later.now()) });
    expect(after.status).toBe(201);
    expect(after.body.user.recoveryCodesRemaining).toBe(10);
  });

  it("counts failures in a row only: a success resets the count", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const id = await startChallenge(ctx.api, user);
    for (let i = 0; i < 4; i++) await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: wrongCode(secret) });
    expect((await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(secret) })).status).toBe(201);
    const next = await startChallenge(ctx.api, user);
    for (let i = 0; i < 4; i++) await ctx.api.post(`/v1/auth/challenges/${next}/totp`, { code: wrongCode(secret) });
    const code = totpCode(secret, inSteps(1));
    expect((await ctx.api.post(`/v1/auth/challenges/${next}/totp`, { code })).status).toBe(201);
  });
});

describe("password lockout", () => {
  it("blocks password checks after 10 wrong passwords, without locking the second factor", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const challengeBefore = await startChallenge(ctx.api, user);
    for (let i = 0; i < 10; i++) {
      expect((await ctx.api.post("/v1/auth/login", { email: user.email, password: `wrong password ${i}` })).status).toBe(401);
    }
    const blocked = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // The second factor is untouched: a challenge from before the password lock still completes.
    expect((await ctx.api.post(`/v1/auth/challenges/${challengeBefore}/totp`, { code: totpCode(secret) })).status).toBe(201);

    const later = travel(ctx.system, 15 * 60_000 + 1_000);
    restore = later.restore;
    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.status).toBe("two_factor_required");
  });
});
