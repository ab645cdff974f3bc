import { afterEach, describe, expect, it } from "vitest";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { EventBridgePublisher } from "@twofactor/aws";
import { parseEvent } from "@twofactor/events";
import type { LocalRuntime } from "@twofactor/local";
import { client, type Client } from "../support/api.js";
import { travel } from "../support/clock.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { callFrom } from "../support/from-address.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { startSystem, useSystem } from "../support/system.js";
import { useTempDirs } from "../support/temp-dir.js";

const newDataDir = useTempDirs("devices");

/**
 * "Remember this device": a trusted browser on the same network skips the second factor until it
 * expires or anything changes. 127.0.0.1 and 127.0.1.1 are two /24 networks on the loopback.
 */
const ctx = useSystem();
const HOME = "127.0.0.1";
const ELSEWHERE = "127.0.1.1";
const CHROME_130 = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.91 Safari/537.36";
const CHROME_130_MINOR = CHROME_130.replace("130.0.6723.91", "130.0.6723.117");
const CHROME_131 = CHROME_130.replace("130.0.6723.91", "131.0.6778.69");
const FIREFOX_130 = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";

interface Caller { address: string; userAgent: string; deviceToken?: string }

function login(user: TestUser, caller: Caller, system: LocalRuntime = ctx.system) {
  return callFrom(caller.address, `${system.url}/v1/auth/login`, "POST", { email: user.email, password: PASSWORD }, {
    "user-agent": caller.userAgent, ...(caller.deviceToken ? { "x-device-token": caller.deviceToken } : {}),
  });
}

/** A second-factor login from `caller` with "remember this device"; answers the device token. */
async function remember(user: TestUser, secret: string, caller: Caller, at = inSteps(0), system: LocalRuntime = ctx.system): Promise<string> {
  const started = await login(user, caller, system);
  expect(started.body.status).toBe("two_factor_required");
  const done = await callFrom(caller.address, `${system.url}/v1/auth/challenges/${started.body.challenge.id}/totp`, "POST",
    { code: totpCode(secret, at), rememberDevice: true }, { "user-agent": caller.userAgent });
  expect(done.status).toBe(201);
  return done.body.deviceToken as string;
}

async function log(api: Client, system: LocalRuntime, token: string) {
  await system.bus.idle();
  return (await api.get("/v1/me/security-events?limit=100", token)).body.items as { type: string; detail: any }[];
}

async function userWithTotp(api: Client = ctx.api) {
  const user = await signUpAndLogin(api);
  const { secret } = await enableTotp(api, user);
  return { user, secret };
}

describe("earning and using trust", () => {
  it("issues the token as an HttpOnly, Secure, SameSite=Strict cookie on /v1/auth and in the body", async () => {
    const { user, secret } = await userWithTotp();
    const started = await login(user, { address: HOME, userAgent: CHROME_130 });
    const done = await callFrom(HOME, `${ctx.system.url}/v1/auth/challenges/${started.body.challenge.id}/totp`, "POST",
      { code: totpCode(secret), rememberDevice: true }, { "user-agent": CHROME_130 });
    expect(done.status).toBe(201);
    expect(done.body.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = String(done.headers["set-cookie"]);
    expect(cookie).toContain(`device_trust=${done.body.deviceToken}`);
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/v1/auth"]) expect(cookie).toContain(attribute);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(30 * 24 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(30 * 24 * 3600);
    // Without rememberDevice nothing is issued.
    const plain = await callFrom(HOME, `${ctx.system.url}/v1/auth/challenges/${(await login(user, { address: HOME, userAgent: CHROME_130 })).body.challenge.id}/totp`,
      "POST", { code: totpCode(secret, inSteps(1)) }, { "user-agent": CHROME_130 });
    expect(plain.body.deviceToken).toBeUndefined();
    expect(plain.headers["set-cookie"]).toBeUndefined();
  });

  it("skips the second factor on the same network and browser (a minor update too), and records it", async () => {
    const { user, secret } = await userWithTotp();
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    const trusted = await login(user, { address: HOME, userAgent: CHROME_130, deviceToken });
    expect(trusted.status).toBe(201);
    expect(trusted.body.status).toBe("authenticated");
    expect((await login(user, { address: "127.0.0.99", userAgent: CHROME_130_MINOR, deviceToken })).status).toBe(201);

    const devices = (await ctx.api.get("/v1/me/devices", trusted.body.session.token)).body;
    expect(devices.nextCursor).toBeNull();
    expect(devices.items).toEqual([expect.objectContaining({ label: "Chrome 130 on Linux", network: "127.0.0.0/24", lastUsedAt: expect.any(String) })]);
    expect(JSON.stringify(devices)).not.toContain(deviceToken);
    const events = await log(ctx.api, ctx.system, trusted.body.session.token);
    expect(events.filter((e) => e.type === "DeviceTrusted")).toHaveLength(1);
    expect(events.find((e) => e.type === "LoginSucceeded" && e.detail.method === "trusted_device")?.detail.deviceId).toBe(devices.items[0].id);
    expect(JSON.stringify(events)).not.toContain(deviceToken);
    // A session opened by a trusted device proved no factor: it is not recent.
    expect((await ctx.api.post("/v1/me/security-keys/options", undefined, trusted.body.session.token)).body.code).toBe("reauthentication_required");
  });

  it("asks again from another network, emits DeviceChanged, and the consumer revokes the device for good", async () => {
    const { user, secret } = await userWithTotp();
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    const moved = await login(user, { address: ELSEWHERE, userAgent: CHROME_130, deviceToken });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe("two_factor_required");
    await ctx.system.bus.idle();
    // Back home, the token is worthless: the consumer revoked the device.
    expect((await login(user, { address: HOME, userAgent: CHROME_130, deviceToken })).body.status).toBe("two_factor_required");
    const events = await log(ctx.api, ctx.system, user.token);
    const changed = events.find((e) => e.type === "DeviceChanged")!;
    expect(changed.detail).toMatchObject({ changed: ["network"], previousNetwork: "127.0.0.0/24", network: "127.0.1.0/24" });
    expect(events.filter((e) => e.type === "TrustedDeviceRevoked").map((e) => e.detail.reason)).toEqual(["changed"]);
  });

  it.each([["a new major version", CHROME_131], ["another browser family", FIREFOX_130]])("asks again for %s", async (_, userAgent) => {
    const { user, secret } = await userWithTotp();
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    expect((await login(user, { address: HOME, userAgent, deviceToken })).body.status).toBe("two_factor_required");
    const events = await log(ctx.api, ctx.system, user.token);
    expect(events.find((e) => e.type === "DeviceChanged")?.detail.changed).toEqual(["browser"]);
  });

  it("ignores a garbage, another user's or an expired token, and asks again after the lifetime", async () => {
    const { user, secret } = await userWithTotp();
    const other = await userWithTotp();
    const othersToken = await remember(other.user, other.secret, { address: HOME, userAgent: CHROME_130 });
    for (const deviceToken of ["garbage", "x".repeat(43), othersToken]) {
      expect((await login(user, { address: HOME, userAgent: CHROME_130, deviceToken })).body.status).toBe("two_factor_required");
    }
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    const later = travel(ctx.system, 30 * 24 * 3600_000 + 1_000);
    try {
      expect((await login(user, { address: HOME, userAgent: CHROME_130, deviceToken })).body.status).toBe("two_factor_required");
    } finally {
      later.restore();
    }
  });

  it("replaces the presented device when remembering again, and keeps at most 20 (the oldest goes)", async () => {
    const { user, secret } = await userWithTotp();
    const home = { address: HOME, userAgent: CHROME_130 };
    const first = await remember(user, secret, home);
    const replacing = await login(user, { ...home, deviceToken: first });
    expect(replacing.status).toBe(201); // trusted; now remember again through a challenge while presenting it
    const started = await login(user, { ...home, userAgent: CHROME_131, deviceToken: first });
    const second = await callFrom(HOME, `${ctx.system.url}/v1/auth/challenges/${started.body.challenge.id}/totp`, "POST",
      { code: totpCode(secret, inSteps(1)), rememberDevice: true }, { "user-agent": CHROME_131, "x-device-token": first });
    expect(second.status).toBe(201);
    await ctx.system.bus.idle();
    const token = second.body.session.token as string;
    expect((await ctx.api.get("/v1/me/devices", token)).body.items).toHaveLength(1);

    // 20 more remembered sign-ins (each a step later, so each code is fresh): the cap keeps 20.
    const tokens: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const at = travel(ctx.system, i * 30_000 + 60_000);
      try {
        tokens.push(await remember(user, secret, home, at.now()));
      } finally {
        at.restore();
      }
    }
    const devices = (await ctx.api.get("/v1/me/devices?limit=100", token)).body.items;
    expect(devices).toHaveLength(20);
    expect((await login(user, { ...home, deviceToken: second.body.deviceToken })).body.status).toBe("two_factor_required");
    expect((await login(user, { ...home, deviceToken: tokens.at(-1) })).status).toBe(201);
    const reasons = (await log(ctx.api, ctx.system, token)).filter((e) => e.type === "TrustedDeviceRevoked").map((e) => e.detail.reason);
    expect(reasons).toEqual(expect.arrayContaining(["replaced", "replaced"]));
  });
});

describe("seeing and forgetting devices", () => {
  it("forgets one (404 for another user's) and all, each with TrustedDeviceRevoked", async () => {
    const { user, secret } = await userWithTotp();
    const a = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    const b = await remember(user, secret, { address: HOME, userAgent: FIREFOX_130 }, inSteps(1));
    const later = travel(ctx.system, 60_000); // each remembered sign-in needs a fresh step
    const c = await remember(user, secret, { address: ELSEWHERE, userAgent: CHROME_130 }, later.now()).finally(later.restore);
    const session = (await login(user, { address: HOME, userAgent: CHROME_130, deviceToken: a })).body.session.token as string;
    const listed = (await ctx.api.get("/v1/me/devices?limit=2", session)).body;
    expect(listed.items).toHaveLength(2);
    const rest = (await ctx.api.get(`/v1/me/devices?limit=2&cursor=${listed.nextCursor}`, session)).body;
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const all = [...listed.items, ...rest.items];
    expect(new Set(all.map((d: { id: string }) => d.id)).size).toBe(3);

    const stranger = await signUpAndLogin(ctx.api, "Stranger");
    const foreign = await ctx.api.call("DELETE", `/v1/me/devices/${all[0].id}`, { token: stranger.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe("device_not_found");

    const firefox = all.find((d: { label: string }) => d.label.startsWith("Firefox"))!;
    expect((await ctx.api.call("DELETE", `/v1/me/devices/${firefox.id}`, { token: session })).status).toBe(204);
    expect((await ctx.api.call("DELETE", `/v1/me/devices/${firefox.id}`, { token: session })).status).toBe(404);
    expect((await login(user, { address: HOME, userAgent: FIREFOX_130, deviceToken: b })).body.status).toBe("two_factor_required");

    expect((await ctx.api.call("DELETE", "/v1/me/devices", { token: session })).status).toBe(204);
    expect((await ctx.api.get("/v1/me/devices", session)).body.items).toEqual([]);
    expect((await login(user, { address: ELSEWHERE, userAgent: CHROME_130, deviceToken: c })).body.status).toBe("two_factor_required");
    const reasons = (await log(ctx.api, ctx.system, session)).filter((e) => e.type === "TrustedDeviceRevoked").map((e) => e.detail.reason).sort();
    expect(reasons).toEqual(["all", "all", "user"]);
  });

  it("forgets every device when the factors change (here: recovery codes regenerated)", async () => {
    const { user, secret } = await userWithTotp();
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    expect((await ctx.api.post("/v1/me/recovery-codes", { code: totpCode(secret, inSteps(1)) }, user.token)).status).toBe(200);
    await ctx.system.bus.idle();
    expect((await login(user, { address: HOME, userAgent: CHROME_130, deviceToken })).body.status).toBe("two_factor_required");
    const revoked = (await log(ctx.api, ctx.system, user.token)).filter((e) => e.type === "TrustedDeviceRevoked");
    expect(revoked.map((e) => e.detail.reason)).toEqual(["factor_changed"]);
  });

  it("applies a DeviceChanged event delivered twice only once", async () => {
    const { user, secret } = await userWithTotp();
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 });
    expect((await login(user, { address: ELSEWHERE, userAgent: CHROME_130, deviceToken })).body.status).toBe("two_factor_required");
    await ctx.system.bus.idle();
    // The same event once more, as a redelivery or a replay from the archive would bring it.
    const [changed] = (await log(ctx.api, ctx.system, user.token)).filter((e) => e.type === "DeviceChanged");
    const { type, detail, ...base } = changed!;
    const publisher = new EventBridgePublisher(new EventBridgeClient({ endpoint: ctx.system.bus.endpoint, credentials: ctx.system.credentials }), "twofactor-local");
    await publisher.publish([parseEvent(type, { ...base, ...detail })]);
    await ctx.system.bus.idle();
    expect((await login(user, { address: HOME, userAgent: CHROME_130, deviceToken })).body.status).toBe("two_factor_required");
    expect((await log(ctx.api, ctx.system, user.token)).filter((e) => e.type === "TrustedDeviceRevoked")).toHaveLength(1);
  });
});

describe("a crash between the login and the consumer's revocation", () => {
  const running: LocalRuntime[] = [];
  afterEach(async () => { await Promise.all(running.splice(0).map((s) => s.stop())); });

  it("still delivers DeviceChanged after the restart, and the device is revoked", async () => {
    const dataDir = newDataDir();
    const first = await startSystem({ dataDir });
    running.push(first);
    const api = client(first.url);
    const { user, secret } = await userWithTotp(api);
    const deviceToken = await remember(user, secret, { address: HOME, userAgent: CHROME_130 }, inSteps(0), first);
    await first.bus.idle();
    first.bus.refuseNextEntries(1_000); // the bus is gone: DeviceChanged stays owed in the table
    expect((await login(user, { address: ELSEWHERE, userAgent: CHROME_130, deviceToken }, first)).body.status).toBe("two_factor_required");
    running.splice(0);
    await first.stop();

    const second = await startSystem({ dataDir });
    running.push(second);
    await second.bus.idle();
    expect((await login(user, { address: HOME, userAgent: CHROME_130, deviceToken }, second)).body.status).toBe("two_factor_required");
    const types = (await log(client(second.url), second, user.token)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["DeviceChanged", "TrustedDeviceRevoked"]));
  });
});
