import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Client } from "../support/api.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { holdWritesUntilRead } from "../support/race-gate.js";
import { aSecurityKey, addKeyThroughStore } from "../support/store-keys.js";
import { useSystem } from "../support/system.js";
import { useChromium, openKeyTab, type KeyTab } from "../support/webauthn-browser.js";

const ctx = useSystem();

async function registerKey(api: Client, user: TestUser, tab: KeyTab, name = "Key") {
  const options = await api.post("/v1/me/security-keys/options", undefined, user.token);
  const response = await tab.register(options.body.options);
  const registered = await api.post("/v1/me/security-keys", { name, response }, user.token);
  expect(registered.status).toBe(201);
  return registered.body as { key: { id: string }; recoveryCodes?: string[] };
}

/** Both removals load the account (its whole partition) before either writes the FACTORS item. */
function readBothBeforeWriting(userId: string): () => void {
  const pk = `USER#${userId}`;
  return holdWritesUntilRead(ctx.system, 2,
    ({ command, input }) => command === "QueryCommand" && input.KeyConditionExpression === "pk = :pk" && input.ExpressionAttributeValues?.[":pk"] === pk,
    ({ command, input }) => command === "UpdateItemCommand" && input.Key?.pk === pk && input.Key.sk === "FACTORS");
}

async function eventTypes(token: string): Promise<string[]> {
  await ctx.system.bus.idle();
  return ((await ctx.api.get("/v1/me/security-events?limit=100", token)).body.items as { type: string }[]).map((e) => e.type);
}

describe("security keys beside TOTP (Chromium and an authenticator app)", () => {
  const chromium = useChromium();

  it("keeps 2FA on while either factor remains, and turns it off with the last one", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const { secret, recoveryCodes } = await enableTotp(ctx.api, user);

    // A key added beside TOTP does not turn 2FA on again, nor replace the recovery codes.
    const registered = await registerKey(ctx.api, user, tab);
    expect(registered.recoveryCodes).toBeUndefined();
    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.body.challenge.methods).toEqual(["totp", "webauthn", "recovery_code"]);
    const me = await ctx.api.get("/v1/me", user.token);
    expect(me.body.user.recoveryCodesRemaining).toBe(10);
    expect(me.body.user.securityScore).toMatchObject({ score: 100 });
    expect(me.body.user.securityScore.factors.every((f: { met: boolean; advice: unknown }) => f.met && f.advice === null)).toBe(true);

    // Removing TOTP leaves the key: 2FA stays on, recovery codes stay.
    expect((await ctx.api.delete("/v1/me/totp", { code: totpCode(secret) }, user.token)).status).toBe(204);
    const afterTotp = await ctx.api.get("/v1/me", user.token);
    expect(afterTotp.body.user.twoFactor).toMatchObject({ enabled: true, methods: ["webauthn", "recovery_code"] });
    expect(afterTotp.body.user.recoveryCodesRemaining).toBe(10);
    const withRecovery = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: recoveryCodes[0] });
    expect(withRecovery.status).toBe(201);
    expect((await eventTypes(user.token)).filter((t) => t === "TwoFactorEnabled" || t === "TwoFactorDisabled")).toEqual(["TwoFactorEnabled"]);

    // Removing the key, the last factor, turns 2FA off and clears the codes.
    expect((await ctx.api.call("DELETE", `/v1/me/security-keys/${registered.key.id}`, { token: user.token })).status).toBe(204);
    const off = await ctx.api.get("/v1/me", user.token);
    expect(off.body.user.twoFactor).toMatchObject({ enabled: false, methods: [] });
    expect(off.body.user.recoveryCodesRemaining).toBe(0);
    const types = await eventTypes(user.token);
    expect(types.filter((t) => t === "TwoFactorDisabled")).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(["SecurityKeyRegistered", "SecurityKeyRemoved"]));
    await tab.close();
  });

  it("keeps 2FA on when a key is removed while TOTP remains", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    await enableTotp(ctx.api, user);
    const { key } = await registerKey(ctx.api, user, tab);
    expect((await ctx.api.call("DELETE", `/v1/me/security-keys/${key.id}`, { token: user.token })).status).toBe(204);
    const me = await ctx.api.get("/v1/me", user.token);
    expect(me.body.user.twoFactor).toMatchObject({ enabled: true, methods: ["totp", "recovery_code"] });
    expect(me.body.user.recoveryCodesRemaining).toBe(10);
    expect(await eventTypes(user.token)).not.toContain("TwoFactorDisabled");
    await tab.close();
  });

  it("removes only one of the last two factors when both are removed at once: the other answers 409 conflict", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const { secret } = await enableTotp(ctx.api, user);
    const { key } = await registerKey(ctx.api, user, tab);

    const unhook = readBothBeforeWriting(user.id);
    const [totp, removed] = await Promise.all([
      ctx.api.delete("/v1/me/totp", { code: totpCode(secret) }, user.token),
      ctx.api.call("DELETE", `/v1/me/security-keys/${key.id}`, { token: user.token }),
    ]).finally(unhook);
    // Each removal was decided on the factors as read (two of them); only the first write holds.
    expect([totp.status, removed.status].sort()).toEqual([204, 409]);
    const loser = totp.status === 409 ? totp : removed;
    expect(loser.body.code).toBe("conflict");
    const me = await ctx.api.get("/v1/me", user.token);
    expect(me.body.user.twoFactor.enabled).toBe(true);
    expect(me.body.user.recoveryCodesRemaining).toBe(10);
    expect(await eventTypes(user.token)).not.toContain("TwoFactorDisabled");

    // Removing the one left, now knowingly the last, turns 2FA off with the recovery codes.
    const last = totp.status === 409
      ? await ctx.api.delete("/v1/me/totp", { code: totpCode(secret, inSteps(1)) }, user.token)
      : await ctx.api.call("DELETE", `/v1/me/security-keys/${key.id}`, { token: user.token });
    expect(last.status).toBe(204);
    const after = await ctx.api.get("/v1/me", user.token);
    expect(after.body.user.twoFactor.enabled).toBe(false);
    expect(after.body.user.recoveryCodesRemaining).toBe(0);
    expect((await eventTypes(user.token)).filter((t) => t === "TwoFactorDisabled")).toHaveLength(1);
    await tab.close();
  });

  it("refuses a registration response made for another user's options", async () => {
    const alice = await signUpAndLogin(ctx.api, "Alice");
    const bob = await signUpAndLogin(ctx.api, "Bob");
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const bobsOptions = await ctx.api.post("/v1/me/security-keys/options", undefined, bob.token);
    const response = await tab.register(bobsOptions.body.options);
    const res = await ctx.api.post("/v1/me/security-keys", { name: "stolen", response }, alice.token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_registration");
    // Bob's own registration still works, once; the same response again is refused.
    expect((await ctx.api.post("/v1/me/security-keys", { name: "mine", response }, bob.token)).status).toBe(201);
    const replay = await ctx.api.post("/v1/me/security-keys", { name: "mine", response }, bob.token);
    expect(replay.status).toBe(400);
    await tab.close();
  });
});

describe("security-key endpoints refuse bad input and bad state without a browser", () => {
  it("answers 400 to garbage WebAuthn responses, never 500", async () => {
    const user = await signUpAndLogin(ctx.api);
    const garbage: unknown[] = [
      "a string", 42, null, {}, { id: "x" },
      { id: "!!", rawId: "!!", type: "public-key", response: {}, clientExtensionResults: {} },
      { id: "abc", rawId: "abc", type: "password", response: { clientDataJSON: "abc", attestationObject: "abc" }, clientExtensionResults: {} },
      { id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "a".repeat(5000), attestationObject: "abc" }, clientExtensionResults: {} },
    ];
    for (const response of garbage) {
      const res = await ctx.api.post("/v1/me/security-keys", { name: "k", response }, user.token);
      expect(res.status, JSON.stringify(response)).toBe(400);
      expect(res.body.code).toBe("validation_failed");
    }
    expect((await ctx.api.post("/v1/me/security-keys", { response: garbage[5] }, user.token)).status).toBe(400);
    expect((await ctx.api.post("/v1/me/security-keys", { name: "k", response: garbage[5], extra: 1 }, user.token)).status).toBe(400);

    // Well-formed but meaningless: the shape passes, the ceremony is refused as a 400 of its own.
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    const shaped = {
      id: b64("cred"), rawId: b64("cred"), type: "public-key", clientExtensionResults: {},
      response: { clientDataJSON: b64(JSON.stringify({ type: "webauthn.create", challenge: b64("no such challenge here"), origin: ctx.system.url })), attestationObject: b64("junk") },
    };
    const refused = await ctx.api.post("/v1/me/security-keys", { name: "k", response: shaped }, user.token);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("invalid_registration");
  });

  it("answers 409 for webauthn on a user without keys, 400 for a garbage assertion, 404 for an unknown challenge", async () => {
    const user = await signUpAndLogin(ctx.api);
    await enableTotp(ctx.api, user);
    const challengeId = await startChallenge(ctx.api, user);
    const options = await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn/options`);
    expect(options.status).toBe(409);
    expect(options.body.code).toBe("no_security_keys");
    expect((await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: { id: 1 } })).status).toBe(400);
    expect((await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, {})).status).toBe(400);
    const unknown = await ctx.api.post(`/v1/auth/challenges/${user.id}.${randomBytes(32).toString("base64url")}/webauthn/options`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("challenge_not_found");
  });

  it("refuses an eleventh key with 409, before any ceremony", async () => {
    const user = await signUpAndLogin(ctx.api);
    for (let i = 0; i < 10; i++) await addKeyThroughStore(ctx.system, user.id, aSecurityKey(`key ${i}`));
    expect((await ctx.api.get("/v1/me/security-keys", user.token)).body.items).toHaveLength(10);
    const res = await ctx.api.post("/v1/me/security-keys/options", undefined, user.token);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("too_many_security_keys");
  });

  it("needs a session for every enrollment route", async () => {
    for (const [method, path] of [["POST", "/v1/me/security-keys/options"], ["POST", "/v1/me/security-keys"], ["GET", "/v1/me/security-keys"], ["PATCH", "/v1/me/security-keys/abc"], ["DELETE", "/v1/me/security-keys/abc"]] as const) {
      const res = await ctx.api.call(method, path, method === "POST" || method === "PATCH" ? { body: { name: "x" } } : {});
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});
