import { describe, expect, it } from "vitest";
import type { Client } from "../support/api.js";
import { PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { useSystem } from "../support/system.js";
import { CTAP2_KEY, useChromium, openKeyTab, U2F_KEY, type KeyTab } from "../support/webauthn-browser.js";

const ctx = useSystem();

/** Registers the tab's key for the user, as a settings page would: options, the browser ceremony, then the response. */
async function registerKey(api: Client, user: TestUser, tab: KeyTab, name = "YubiKey 5C") {
  const options = await api.post("/v1/me/security-keys/options", undefined, user.token);
  expect(options.status).toBe(200);
  const response = await tab.register(options.body.options);
  expect(response.error).toBeUndefined();
  const registered = await api.post("/v1/me/security-keys", { name, response }, user.token);
  expect(registered.status).toBe(201);
  return registered.body as { key: { id: string; name: string; createdAt: string; lastUsedAt: null; transports: string[] }; recoveryCodes?: string[] };
}

/** Password, then the key's assertion on the login challenge; answers the assertion and the HTTP reply. */
async function signInWithKey(api: Client, user: TestUser, tab: KeyTab) {
  const challengeId = await startChallenge(api, user);
  const options = await api.post(`/v1/auth/challenges/${challengeId}/webauthn/options`);
  expect(options.status).toBe(200);
  const assertion = await tab.authenticate(options.body.options);
  expect(assertion.error).toBeUndefined();
  const reply = await api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: assertion });
  return { challengeId, assertion, reply };
}

async function securityLog(api: Client, token: string) {
  const res = await api.get("/v1/me/security-events?limit=100", token);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; userId: string; detail: Record<string, unknown> }[];
}

describe("security keys in a real browser (Chromium virtual authenticators)", () => {
  const chromium = useChromium();

  it("registers a CTAP2 key, which alone turns 2FA on with recovery codes, and signs in with it", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url, CTAP2_KEY);

    const options = await ctx.api.post("/v1/me/security-keys/options", undefined, user.token);
    expect(options.body.options).toMatchObject({
      rp: { id: "localhost" }, attestation: "none", excludeCredentials: [],
      authenticatorSelection: { userVerification: "preferred" },
    });
    const registered = await registerKey(ctx.api, user, tab);
    expect(registered.key).toEqual({ id: expect.any(String), name: "YubiKey 5C", createdAt: expect.stringMatching(/Z$/), lastUsedAt: null, transports: ["usb"] });
    expect(registered.recoveryCodes).toHaveLength(10);

    const me = await ctx.api.get("/v1/me", user.token);
    expect(me.body.user.twoFactor).toMatchObject({ enabled: true, methods: ["webauthn", "recovery_code"] });
    expect(me.body.user.securityScore.score).toBe(85);
    expect(me.body.user.securityScore.factors.find((f: { id: string }) => f.id === "backup_factor")).toMatchObject({ met: false, advice: expect.any(String) });

    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.body.challenge.methods).toEqual(["webauthn", "recovery_code"]);
    const { reply } = await signInWithKey(ctx.api, user, tab);
    expect(reply.status).toBe(201);
    expect(reply.body.session.token).toEqual(expect.any(String));
    expect(reply.body.user.id).toBe(user.id);

    const keys = await ctx.api.get("/v1/me/security-keys", reply.body.session.token);
    expect(keys.body.items).toHaveLength(1);
    expect(keys.body.items[0].lastUsedAt).toEqual(expect.stringMatching(/Z$/));

    await ctx.system.bus.idle();
    const log = await securityLog(ctx.api, reply.body.session.token);
    expect(log.find((e) => e.type === "SecurityKeyRegistered")?.detail).toMatchObject({ keyId: registered.key.id, name: "YubiKey 5C", transports: ["usb"] });
    expect(log.find((e) => e.type === "TwoFactorEnabled")?.detail).toEqual({ method: "webauthn" });
    expect(log.filter((e) => e.type === "LoginSucceeded").map((e) => e.detail.method)).toContain("webauthn");
    await tab.close();
  });

  it("works with a U2F-only key (no user verification, no resident key)", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url, U2F_KEY);
    await registerKey(ctx.api, user, tab, "Old U2F key");
    const first = await signInWithKey(ctx.api, user, tab);
    expect(first.reply.status).toBe(201);
    const second = await signInWithKey(ctx.api, user, tab);
    expect(second.reply.status).toBe(201);
    await tab.close();
  });

  it("excludes the user's keys: the browser refuses to register the same authenticator twice", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const { key } = await registerKey(ctx.api, user, tab);

    const options = await ctx.api.post("/v1/me/security-keys/options", undefined, user.token);
    expect(options.body.options.excludeCredentials).toEqual([{ id: key.id, type: "public-key", transports: ["usb"] }]);
    const again = await tab.register(options.body.options);
    expect(again.error).toBe("InvalidStateError");
    await tab.close();
  });

  it("refuses a replayed assertion, on the same login challenge and on a new one", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    await registerKey(ctx.api, user, tab);

    const { challengeId, assertion, reply } = await signInWithKey(ctx.api, user, tab);
    expect(reply.status).toBe(201);
    const sameChallenge = await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: assertion });
    expect(sameChallenge.status).toBe(404);
    expect(sameChallenge.body.code).toBe("challenge_not_found");

    const fresh = await startChallenge(ctx.api, user);
    const replayed = await ctx.api.post(`/v1/auth/challenges/${fresh}/webauthn`, { response: assertion });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe("invalid_assertion");
    await tab.close();
  });

  it("refuses another user's key on a user's challenge", async () => {
    const alice = await signUpAndLogin(ctx.api, "Alice");
    const bob = await signUpAndLogin(ctx.api, "Bob");
    const aliceTab = await openKeyTab(chromium.browser, ctx.system.url);
    const bobTab = await openKeyTab(chromium.browser, ctx.system.url);
    await registerKey(ctx.api, alice, aliceTab);
    const bobKey = (await registerKey(ctx.api, bob, bobTab)).key;

    // Bob's authenticator signs Alice's WebAuthn challenge (a client that ignores allowCredentials).
    const challengeId = await startChallenge(ctx.api, alice);
    const options = (await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn/options`)).body.options;
    const forged = await bobTab.authenticate({ ...options, allowCredentials: [{ id: bobKey.id, type: "public-key", transports: ["usb"] }] });
    expect(forged.id).toBe(bobKey.id);
    const res = await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: forged });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_assertion");

    // The challenge survives the failure: Alice's own key still completes it.
    const own = await aliceTab.authenticate(options);
    expect((await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: own })).status).toBe(201);
    await aliceTab.close();
    await bobTab.close();
  });

  it("detects a cloned key presenting a lower signature counter, reports it, and signs in with that key no more until it is removed", async () => {
    const user = await signUpAndLogin(ctx.api);
    const original = await openKeyTab(chromium.browser, ctx.system.url);
    const { key, recoveryCodes } = await registerKey(ctx.api, user, original);
    for (let i = 0; i < 3; i++) expect((await signInWithKey(ctx.api, user, original)).reply.status).toBe(201);
    const [credential] = await original.credentials();
    expect(credential!.signCount).toBeGreaterThanOrEqual(3);

    // The same private key in another authenticator whose counter lags behind.
    const clone = await openKeyTab(chromium.browser, ctx.system.url);
    await clone.addCredential({ ...credential!, signCount: 1 });
    const { reply } = await signInWithKey(ctx.api, user, clone);
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe("invalid_assertion");

    // Which of the two is the clone nobody can tell: the key signs nothing in, the original included.
    const refused = await signInWithKey(ctx.api, user, original);
    expect(refused.reply.status).toBe(401);
    expect(refused.reply.body.code).toBe("invalid_assertion");
    const challengeId = await startChallenge(ctx.api, user);
    const recovered = await ctx.api.post(`/v1/auth/challenges/${challengeId}/recovery-code`, { code: recoveryCodes![0] });
    expect(recovered.status).toBe(201);
    const token = recovered.body.session.token as string;
    const listed = (await ctx.api.get("/v1/me/security-keys", token)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: key.id, cloneDetectedAt: expect.any(String) })]);
    // Nor does it reauthenticate.
    const reauthOptions = await ctx.api.post("/v1/me/reauthenticate/webauthn/options", undefined, token);
    const reauth = await ctx.api.post("/v1/me/reauthenticate/webauthn", { response: await original.authenticate(reauthOptions.body.options) }, token);
    expect(reauth.status).toBe(401);

    await ctx.system.bus.idle();
    const log = await securityLog(ctx.api, token);
    expect(log.find((e) => e.type === "SecurityKeyCloneDetected")?.detail).toEqual({
      keyId: key.id, storedCounter: credential!.signCount, presentedCounter: 2,
    });
    expect(log.find((e) => e.type === "LoginFailed")?.detail).toEqual({ stage: "second_factor", method: "webauthn" });
    await original.close();
    await clone.close();
  });

  it("renames and removes keys; another user's key is not found; removing the last key turns 2FA off", async () => {
    const user = await signUpAndLogin(ctx.api);
    const other = await signUpAndLogin(ctx.api, "Mallory");
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const { key } = await registerKey(ctx.api, user, tab, "Blue key");
    const path = `/v1/me/security-keys/${key.id}`;

    const renamed = await ctx.api.call("PATCH", path, { body: { name: "  Keychain key " }, token: user.token });
    expect(renamed.status).toBe(200);
    expect(renamed.body.key).toMatchObject({ id: key.id, name: "Keychain key" });
    expect((await ctx.api.call("PATCH", path, { body: { name: "" }, token: user.token })).status).toBe(400);
    expect((await ctx.api.call("PATCH", path, { body: { name: "x".repeat(65) }, token: user.token })).status).toBe(400);

    for (const [method, body] of [["PATCH", { name: "mine now" }], ["DELETE", undefined]] as const) {
      const res = await ctx.api.call(method, path, { body, token: other.token });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("security_key_not_found");
    }
    expect((await ctx.api.get("/v1/me/security-keys", other.token)).body.items).toEqual([]);

    expect((await ctx.api.call("DELETE", path, { token: user.token })).status).toBe(204);
    expect((await ctx.api.call("DELETE", path, { token: user.token })).status).toBe(404);
    const me = await ctx.api.get("/v1/me", user.token);
    expect(me.body.user.twoFactor).toMatchObject({ enabled: false, methods: [] });
    expect(me.body.user.recoveryCodesRemaining).toBe(0);
    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.body.status).toBe("authenticated");

    await ctx.system.bus.idle();
    const log = await securityLog(ctx.api, user.token);
    expect(log.find((e) => e.type === "SecurityKeyRemoved")?.detail).toEqual({ keyId: key.id, name: "Keychain key" });
    expect(log.find((e) => e.type === "TwoFactorDisabled")?.detail).toEqual({ method: "webauthn" });

    // Once removed, the authenticator is no longer excluded: it registers again, as a new first factor.
    const again = await registerKey(ctx.api, user, tab, "Back again");
    expect(again.key.name).toBe("Back again");
    expect(again.recoveryCodes).toHaveLength(10);
    await tab.close();
  });

  it("counts refused assertions toward the second-factor lock, which then refuses even a valid key", async () => {
    const user = await signUpAndLogin(ctx.api);
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    await registerKey(ctx.api, user, tab);

    const challengeId = await startChallenge(ctx.api, user);
    const options = (await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn/options`)).body.options;
    const assertion = await tab.authenticate(options);
    const signature = Buffer.from(assertion.response.signature, "base64url");
    signature[signature.length - 1]! ^= 0xff;
    const tampered = { ...assertion, response: { ...assertion.response, signature: signature.toString("base64url") } };
    for (let i = 0; i < 5; i++) {
      const res = await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: tampered });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_assertion");
    }
    const locked = await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn`, { response: assertion });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("too_many_attempts");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const moreOptions = await ctx.api.post(`/v1/auth/challenges/${challengeId}/webauthn/options`);
    expect(moreOptions.status).toBe(429);
    // The password still works and answers two_factor_required.
    expect((await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD })).body.status).toBe("two_factor_required");
    await tab.close();
  });
});
