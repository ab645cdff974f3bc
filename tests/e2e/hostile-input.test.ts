import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { schemas } from "@twofactor/http";
import type { ApiResponse } from "../support/api.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { expectedName, hostileText, hostileUserAgent, isBoundedName } from "../support/hostile-text.js";
import { rawHttp } from "../support/raw-request.js";
import { addKeyThroughStore } from "../support/store-keys.js";
import { useSystem } from "../support/system.js";

/**
 * Hostile Unicode in every field that is stored and shown back: names (sign-up, security-key rename;
 * registration's schema directly, since a registration needs a browser) and the User-Agent header
 * (sign-up, login, a second-factor challenge). Each answer is a 400 (413 for a body over 16 KiB, 431
 * for headers over 16 KiB) or a success whose stored text is bounded — names NFC, trimmed, 1–64
 * characters, user agents at most 512 — as GET /v1/me, the key list and the security log show it;
 * never a 5xx. Run counts keep the file to a few seconds (password hashing dominates).
 */
const ctx = useSystem();
/** FUZZ_SCALE=10 for a deeper run; the default keeps the file to a few seconds. */
const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FUZZ_SCALE ?? 1)));
const MAX_BODY = 16 * 1024;
const codePoints = (text: string) => [...text].length;

/** A JSON request over a raw socket, so that the User-Agent header goes out as exactly these bytes. */
async function send(method: string, path: string, body: unknown, userAgent?: Buffer, token?: string) {
  const json = body === undefined ? "" : JSON.stringify(body);
  const head = [
    `${method} ${path} HTTP/1.1`, "Host: localhost", "Connection: close",
    ...(token ? [`Authorization: Bearer ${token}`] : []),
    ...(json ? ["Content-Type: application/json", `Content-Length: ${Buffer.byteLength(json)}`] : []),
  ].join("\r\n");
  const bytes = Buffer.concat([Buffer.from(`${head}\r\n`), ...(userAgent ? [Buffer.from("User-Agent: "), userAgent, Buffer.from("\r\n")] : []), Buffer.from(`\r\n${json}`)]);
  const res = await rawHttp(ctx.system.port, bytes);
  const parsed = res.body ? JSON.parse(Buffer.from(res.body, "latin1").toString("utf8")) : undefined;
  return { status: res.status, body: parsed };
}

/** What the server stores of these header bytes: read as latin-1, blanks at the ends trimmed (by the HTTP parser), cut to 512. */
const storedAgent = (bytes: Buffer) => bytes.toString("latin1").replace(/^[ \t]+|[ \t]+$/g, "").slice(0, 512);
/** Over Node's 16 KiB of headers (hostileUserAgent keeps clear of the boundary): 431. */
const tooLarge = (bytes: Buffer) => bytes.length > 16 * 1024;
/**
 * What an over-large user agent answers: 431, or 400 if it holds a control character (not a tab),
 * which Node's parser refuses as it reads it, possibly before it has counted 16 KiB.
 */
const tooLargeAnswers = (bytes: Buffer) => (bytes.some((b) => (b < 0x20 && b !== 0x09) || b === 0x7f) ? [400, 431] : [431]);

function expectNever5xx(res: { status: number; body?: unknown }) {
  expect(res.status, JSON.stringify(res.body)?.slice(0, 300)).toBeGreaterThanOrEqual(200);
  expect(res.status, JSON.stringify(res.body)?.slice(0, 300)).toBeLessThan(500);
}

describe("names from hostile Unicode", () => {
  it("sign-up: 400 or 413, or stored NFC and bounded as GET /v1/me shows it", async () => {
    let accepted = 0;
    await fc.assert(fc.asyncProperty(hostileText, async (name) => {
      const email = `fuzz-${randomUUID()}@example.com`;
      const body = { email, password: PASSWORD, name };
      const res = await send("POST", "/v1/users", body);
      expectNever5xx(res);
      const expected = expectedName(name);
      if (Buffer.byteLength(JSON.stringify(body)) > MAX_BODY) return void expect(res.status).toBe(413);
      if (expected === undefined) {
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("name");
        expect(res.body.errors.every((e: { path: string }) => e.path === "name")).toBe(true);
        return;
      }
      expect(res.status).toBe(201);
      accepted++;
      const login = await ctx.api.post("/v1/auth/login", { email, password: PASSWORD });
      const me = await ctx.api.get("/v1/me", login.body.session.token);
      expect(me.body.user.name).toBe(expected);
      expect(isBoundedName(me.body.user.name)).toBe(true);
    }), { numRuns: runs(25) });
    expect(accepted).toBeGreaterThan(0);
  }, 60_000);

  it("security-key rename: 400 or 413, or stored NFC and bounded as the key list shows it", async () => {
    const user = await signUpAndLogin(ctx.api);
    const key = await addKeyThroughStore(ctx.system, user.id);
    let current = "Yubi";
    await fc.assert(fc.asyncProperty(hostileText, async (name) => {
      const res = await send("PATCH", `/v1/me/security-keys/${key.id}`, { name }, undefined, user.token);
      expectNever5xx(res);
      const expected = expectedName(name);
      if (Buffer.byteLength(JSON.stringify({ name })) > MAX_BODY) expect(res.status).toBe(413);
      else if (expected === undefined) expect(res.status).toBe(400);
      else {
        expect(res.status).toBe(200);
        expect(res.body.key.name).toBe(expected);
        current = expected;
      }
      const listed = await ctx.api.get("/v1/me/security-keys", user.token);
      const shown = listed.body.items.find((k: { id: string }) => k.id === key.id).name;
      expect(shown).toBe(current);
      expect(isBoundedName(shown)).toBe(true);
    }), { numRuns: runs(40) });
    await ctx.system.bus.idle();
  }, 60_000);

  it("security-key registration (its schema: a registration needs a browser) and team names take the same rule", () => {
    const response = { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "AAAA", attestationObject: "AAAA" } };
    fc.assert(fc.property(hostileText, (name) => {
      const expected = expectedName(name);
      const registration = schemas.registerSecurityKeyBody.safeParse({ name, response });
      const team = schemas.displayName.safeParse(name);
      expect(registration.success).toBe(expected !== undefined);
      expect(team.success).toBe(expected !== undefined);
      if (registration.success) expect(registration.data.name).toBe(expected);
      if (team.success) expect(isBoundedName(team.data)).toBe(true);
    }), { numRuns: runs(1000) });
  });
});

describe("user agents from hostile bytes", () => {
  /** The user agents of a user's events of one type, oldest first, as the security log shows them. */
  async function loggedAgents(token: string, type: string): Promise<(string | undefined)[]> {
    await ctx.system.bus.idle();
    const items: { type: string; userAgent?: string }[] = [];
    let cursor: string | null = null;
    do {
      const log: ApiResponse = await ctx.api.get(`/v1/me/security-events?limit=100${cursor ? `&cursor=${cursor}` : ""}`, token);
      expect(log.status).toBe(200);
      items.push(...log.body.items);
      cursor = log.body.nextCursor;
    } while (cursor);
    return items.filter((e) => e.type === type).map((e) => e.userAgent).reverse();
  }

  it("sign-up and login: 400 or 431, or the security log shows at most 512 characters of it", async () => {
    const user = await signUpAndLogin(ctx.api, "Agent");
    const expected: (Buffer | undefined)[] = [undefined]; // the login of signUpAndLogin, by fetch
    let token = user.token;
    await fc.assert(fc.asyncProperty(hostileUserAgent, async (agent) => {
      const signUp = await send("POST", "/v1/users", { email: `ua-${randomUUID()}@example.com`, password: PASSWORD, name: "Ua" }, agent);
      expectNever5xx(signUp);
      const login = await send("POST", "/v1/auth/login", { email: user.email, password: PASSWORD }, agent);
      expectNever5xx(login);
      if (tooLarge(agent)) return void expect([signUp.status, login.status].every((status) => tooLargeAnswers(agent).includes(status))).toBe(true);
      if (login.status === 400) return void expect(signUp.status).toBe(400); // bytes no header may hold (NUL, CR, LF, other controls)
      expect([signUp.status, login.status]).toEqual([201, 201]);
      expected.push(agent);
      token = login.body.session.token;
    }), { numRuns: runs(12) });
    const agents = await loggedAgents(token, "LoginSucceeded");
    expect(agents).toHaveLength(expected.length);
    agents.forEach((stored, i) => {
      expect(codePoints(stored ?? "")).toBeLessThanOrEqual(512);
      const sent = expected[i];
      if (sent && !sent.includes(0x0a) && !sent.includes(0x0d)) expect(stored ?? "").toBe(storedAgent(sent));
    });
  }, 60_000);

  it("a second-factor challenge: 400 or 431, or the failure's event shows at most 512 characters of it", async () => {
    // A failure does not use a challenge up, but counts: after four, a recovery code ends the run (five
    // would lock); when the codes run out, another user takes over.
    type Challenged = TestUser & { codes: string[]; challengeId: string; failures: number; token?: string; expected: Buffer[] };
    const users: Challenged[] = [];
    async function current(): Promise<Challenged> {
      const last = users.at(-1);
      if (last && last.codes.length > 1) return last;
      const user = await signUpAndLogin(ctx.api, "Challenged");
      const { recoveryCodes } = await enableTotp(ctx.api, user);
      const next: Challenged = { ...user, codes: recoveryCodes, challengeId: await startChallenge(ctx.api, user), failures: 0, expected: [] };
      users.push(next);
      return next;
    }
    async function endRun(user: Challenged) {
      const signedIn = await ctx.api.post(`/v1/auth/challenges/${user.challengeId}/recovery-code`, { code: user.codes.shift() });
      expect(signedIn.status).toBe(201);
      user.token = signedIn.body.session.token;
      user.challengeId = await startChallenge(ctx.api, user);
      user.failures = 0;
    }
    await fc.assert(fc.asyncProperty(hostileUserAgent, async (agent) => {
      const user = await current();
      const res = await send("POST", `/v1/auth/challenges/${user.challengeId}/totp`, { code: "000000" }, agent);
      expectNever5xx(res);
      if (tooLarge(agent)) return void expect(tooLargeAnswers(agent)).toContain(res.status);
      if (res.status === 400) return;
      expect(res.status).toBe(401);
      user.expected.push(agent);
      if (++user.failures === 4) await endRun(user);
    }), { numRuns: runs(16) });
    for (const user of users) {
      if (!user.token) await endRun(user);
      const agents = await loggedAgents(user.token!, "LoginFailed");
      expect(agents).toHaveLength(user.expected.length);
      agents.forEach((stored, i) => {
        expect(codePoints(stored ?? "")).toBeLessThanOrEqual(512);
        const sent = user.expected[i]!;
        if (!sent.includes(0x0a) && !sent.includes(0x0d)) expect(stored ?? "").toBe(storedAgent(sent));
      });
    }
  }, 120_000);
});
