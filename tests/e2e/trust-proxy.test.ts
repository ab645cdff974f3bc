import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppendingProxy, type AppendingProxy } from "../support/appending-proxy.js";
import { totpCode } from "../support/authenticator.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { callFrom } from "../support/from-address.js";
import { useSystem } from "../support/system.js";

/**
 * `TRUST_PROXY=1` behind a proxy that appends the peer it saw to X-Forwarded-For: the caller's
 * address is that rightmost entry, never one the client wrote. 127.0.0.1, 127.0.1.1 and 127.0.3.1 are
 * three /24 networks on the loopback; the proxy itself connects from a fourth, 127.0.2.1.
 */
const LIMIT = 8;
const ctx = useSystem({ trustProxy: true, env: { NETWORK_FAILURE_LIMIT: String(LIMIT), NETWORK_WINDOW_SECONDS: "900" } });
let proxy: AppendingProxy;
beforeAll(async () => { proxy = await startAppendingProxy(ctx.system.url); });
afterAll(async () => { await proxy?.stop(); });

const HOME = "127.0.0.1";
const ELSEWHERE = "127.0.1.1";
/** The network whose budget the first test spends (the window outlasts the file). */
const GUESSING = "127.0.3.1";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.91 Safari/537.36";

/** A call through the proxy from `address`, with whatever X-Forwarded-For the client chooses to write. */
function viaProxy(address: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return callFrom(address, `${proxy.url}${path}`, "POST", body, { "user-agent": CHROME, ...headers });
}

describe("a client behind the proxy that writes its own X-Forwarded-For", () => {
  it("is still held to its own network's failure budget, however it rotates the header", async () => {
    const victim = await signUpAndLogin(ctx.api, "Victim");
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      viaProxy(GUESSING, "/v1/auth/login", { email: i % 4 === 0 ? victim.email : `nobody-${randomUUID()}@example.com`, password: `wrong ${i}` },
        { "x-forwarded-for": `10.${i}.${i}.1, 198.51.${i}.7` })));
    const wrong = answers.filter((a) => a.status === 401).length;
    console.info(`40 wrong logins through the proxy with rotating X-Forwarded-For: ${wrong} × 401, ${answers.filter((a) => a.status === 429).length} × 429`);
    expect(wrong).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(40 - wrong);

    // Claiming the victim's own network does not reopen the spent one...
    const claiming = await viaProxy(GUESSING, "/v1/auth/login", { email: victim.email, password: PASSWORD }, { "x-forwarded-for": HOME });
    expect(claiming.status).toBe(429);
    expect(claiming.body.code).toBe("too_many_attempts");
    // ...while the network the proxy saw for the victim was never charged.
    expect((await viaProxy(HOME, "/v1/auth/login", { email: victim.email, password: PASSWORD })).status).toBe(201);
  });
});

describe("a stolen device token presented through the proxy", () => {
  async function remembered(user: TestUser, secret: string): Promise<string> {
    const started = await viaProxy(HOME, "/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(started.body.status).toBe("two_factor_required");
    const done = await viaProxy(HOME, `/v1/auth/challenges/${started.body.challenge.id}/totp`, { code: totpCode(secret), rememberDevice: true });
    expect(done.status).toBe(201);
    return done.body.deviceToken as string;
  }

  it("does not skip the second factor from another network that claims the victim's", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const deviceToken = await remembered(user, secret);
    const login = { email: user.email, password: PASSWORD };
    // The victim's own browser, at home: trusted.
    expect((await viaProxy(HOME, "/v1/auth/login", login, { "x-device-token": deviceToken })).body.status).toBe("authenticated");

    const stolen = await viaProxy(ELSEWHERE, "/v1/auth/login", login, { "x-device-token": deviceToken, "x-forwarded-for": HOME });
    expect(stolen.status).toBe(200);
    expect(stolen.body.status).toBe("two_factor_required");
    expect(stolen.body.session).toBeUndefined();
    await ctx.system.bus.idle();
    const events = (await ctx.api.get("/v1/me/security-events?limit=100", user.token)).body.items as { type: string; detail: any }[];
    expect(events.find((e) => e.type === "DeviceChanged")?.detail).toMatchObject({ previousNetwork: "127.0.0.0/24", network: "127.0.1.0/24" });
  });
});
