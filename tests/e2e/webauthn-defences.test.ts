import { afterEach, describe, expect, it } from "vitest";
import type { Client } from "../support/api.js";
import { travel } from "../support/clock.js";
import { signUpAndLogin, type TestUser } from "../support/flows.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { useSystem } from "../support/system.js";
import { openKeyTab, useChromium, type KeyTab } from "../support/webauthn-browser.js";
import { useTempDirs } from "../support/temp-dir.js";

const newDataDir = useTempDirs("crash-keys");

/** Security keys against a stolen session, a shared credential id and a crash, in Chromium with virtual authenticators. */
const ctx = useSystem();
const chromium = useChromium();

const servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
});

async function registrationResponse(api: Client, user: TestUser, tab: KeyTab) {
  const options = await api.post("/v1/me/security-keys/options", undefined, user.token);
  expect(options.status).toBe(200);
  return tab.register(options.body.options);
}

describe("security keys under attack", () => {
  it("refuses a credential id that another account holds with 409 credential_already_registered", async () => {
    const alice = await signUpAndLogin(ctx.api, "Alice");
    const bob = await signUpAndLogin(ctx.api, "Bob");
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const response = await registrationResponse(ctx.api, bob, tab);
    // Alice's account already holds this credential id (WebAuthn §7.1 step 22 refuses it for anyone else).
    expect(await ctx.system.runtime.deps.credentials.claim(response.id, alice.id)).toBe(true);
    const refused = await ctx.api.post("/v1/me/security-keys", { name: "Bob's key", response }, bob.token);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("credential_already_registered");
    expect((await ctx.api.get("/v1/me", bob.token)).body.user.twoFactor.enabled).toBe(false);
    await tab.close();
  });

  it("asks a stale session to reauthenticate with its key before it may change factors", async () => {
    const user = await signUpAndLogin(ctx.api, "Keyholder");
    const tab = await openKeyTab(chromium.browser, ctx.system.url);
    const registered = await ctx.api.post("/v1/me/security-keys", { name: "Only key", response: await registrationResponse(ctx.api, user, tab) }, user.token);
    expect(registered.status).toBe(201);
    const keyId = registered.body.key.id as string;

    const later = travel(ctx.system, 11 * 60_000);
    try {
      const stale = await ctx.api.call("DELETE", `/v1/me/security-keys/${keyId}`, { token: user.token });
      expect(stale.status).toBe(403);
      expect(stale.body.code).toBe("reauthentication_required");

      const options = await ctx.api.post("/v1/me/reauthenticate/webauthn/options", undefined, user.token);
      expect(options.status).toBe(200);
      const assertion = await tab.authenticate(options.body.options);
      const proved = await ctx.api.post("/v1/me/reauthenticate/webauthn", { response: assertion }, user.token);
      expect(proved.status).toBe(200);
      expect(new Date(proved.body.reauthenticatedUntil).getTime()).toBeGreaterThan(later.now().getTime());
      // The same assertion does not work twice.
      expect((await ctx.api.post("/v1/me/reauthenticate/webauthn", { response: assertion }, user.token)).status).toBe(401);

      expect((await ctx.api.call("DELETE", `/v1/me/security-keys/${keyId}`, { token: user.token })).status).toBe(204);
    } finally {
      later.restore();
      await tab.close();
    }
  });

  it("survives a SIGKILL during 20 first-key registrations: each account is off, or on with 10 recovery codes", async () => {
    const dataDir = newDataDir();
    const first = await startServerProcess(dataDir);
    servers.push(first);
    const tab = await openKeyTab(chromium.browser, first.url);
    const prepared: { user: TestUser; response: unknown }[] = [];
    for (let i = 0; i < 20; i++) {
      const user = await signUpAndLogin(first.api, `KeyCrash${i}`);
      prepared.push({ user, response: await registrationResponse(first.api, user, tab) });
    }
    await tab.close();

    let answered = 0;
    const outcomes = await Promise.all(prepared.map(({ user, response }) =>
      first.api.post("/v1/me/security-keys", { name: "Key", response }, user.token)
        .then((res) => { answered++; if (answered === 1) void first.kill(); return res.status; }, () => "killed")));
    servers.splice(servers.indexOf(first), 1);
    expect(outcomes.every((o) => o === 201 || o === "killed"), String(outcomes)).toBe(true);

    const second = await startServerProcess(dataDir);
    servers.push(second);
    let on = 0;
    for (const { user } of prepared) {
      const me = (await second.api.get("/v1/me", user.token)).body.user;
      if (me.twoFactor.enabled) {
        on++;
        expect(me.recoveryCodesRemaining, user.email).toBe(10);
        expect((await second.api.get("/v1/me/security-keys", user.token)).body.items).toHaveLength(1);
      } else {
        expect(me.recoveryCodesRemaining).toBe(0);
      }
    }
    console.info(`crash during 20 key registrations: ${outcomes.filter((o) => o === 201).length} answered, ${on} on after restart`);
  }, 180_000); // two server processes, 20 accounts and a browser: slow on a loaded 2-core machine, never timed
});
