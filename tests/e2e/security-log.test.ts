import { describe, expect, it } from "vitest";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge } from "../support/flows.js";
import { totpCode } from "../support/authenticator.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem();

describe("GET /v1/me/security-events", () => {
  it("lists the user's own events newest first, with who, where and what, and no secret", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret, recoveryCodes } = await enableTotp(ctx.api, user);
    await ctx.api.post("/v1/auth/login", { email: user.email, password: "a wrong password!" });
    const session = (await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: recoveryCodes[0] })).body.session;
    const regenerated = await ctx.api.post("/v1/me/recovery-codes", { code: totpCode(secret) }, session.token);
    await ctx.api.delete("/v1/me/totp", { code: regenerated.body.recoveryCodes[0] }, session.token);
    const other = await signUpAndLogin(ctx.api, "Other");
    await ctx.system.bus.idle();

    const res = await ctx.api.get("/v1/me/security-events", user.token);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const items = res.body.items as { type: string; occurredAt: string; detail: object }[];
    // Newest first; events of one request may share a millisecond, so compare the order of times, and the types as a set.
    expect(items.map((e) => e.occurredAt)).toEqual(items.map((e) => e.occurredAt).sort().reverse());
    expect(items.map((e) => e.type).sort()).toEqual([
      "LoginFailed", "LoginSucceeded", "LoginSucceeded", "RecoveryCodeUsed", "RecoveryCodeUsed",
      "RecoveryCodesRegenerated", "TotpDisabled", "TotpEnabled", "TwoFactorDisabled", "TwoFactorEnabled",
    ]);
    expect(items.find((e) => e.type === "TotpDisabled")?.detail).toEqual({ with: "recovery_code" });
    expect(items.at(-1)).toMatchObject({ type: "LoginSucceeded", detail: { method: "password", scope: "full" } });
    const disabled = items.find((e) => e.type === "TwoFactorDisabled");
    expect(disabled).toEqual({
      eventId: expect.any(String),
      type: "TwoFactorDisabled",
      occurredAt: expect.stringMatching(/Z$/),
      actor: user.id,
      userId: user.id,
      ip: "127.0.0.1",
      userAgent: expect.any(String),
      detail: { method: "totp" },
      mailed: true, // the user was told by mail (docs/notifications.md)
    });
    expect(items.filter((e) => e.type === "LoginSucceeded").map((e) => e.detail)).toContainEqual({ method: "recovery_code", scope: "full" });
    expect(items.filter((e) => e.type === "RecoveryCodeUsed").map((e) => e.detail)).toEqual(
      expect.arrayContaining([{ purpose: "login", remaining: 9 }, { purpose: "disable_totp", remaining: 9 }]),
    );
    expect(items.find((e) => e.type === "LoginFailed")?.detail).toEqual({ stage: "password", method: "password" });

    const everything = JSON.stringify(res.body);
    for (const secretThing of [secret, session.token, user.token, PASSWORD, ...recoveryCodes, ...regenerated.body.recoveryCodes]) {
      expect(everything).not.toContain(secretThing);
    }
    expect(everything).not.toContain(other.id);
  });

  it("pages with limit and cursor, and refuses a cursor it did not issue", async () => {
    const user = await signUpAndLogin(ctx.api);
    for (let i = 0; i < 4; i++) await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    await ctx.system.bus.idle();
    const first = await ctx.api.get("/v1/me/security-events?limit=2", user.token);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await ctx.api.get(`/v1/me/security-events?limit=2&cursor=${first.body.nextCursor}`, user.token);
    const third = await ctx.api.get(`/v1/me/security-events?limit=2&cursor=${second.body.nextCursor}`, user.token);
    expect(third.body.items).toHaveLength(1);
    expect(third.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items, ...third.body.items].map((e: { eventId: string }) => e.eventId);
    expect(new Set(ids).size).toBe(5);
    const times = [...first.body.items, ...second.body.items, ...third.body.items].map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    expect((await ctx.api.get("/v1/me/security-events?cursor=bm9wZQ", user.token)).body.code).toBe("invalid_cursor");
    expect((await ctx.api.get("/v1/me/security-events?limit=0", user.token)).status).toBe(400);
    expect((await ctx.api.get("/v1/me/security-events?limit=101", user.token)).status).toBe(400);
  });
});
