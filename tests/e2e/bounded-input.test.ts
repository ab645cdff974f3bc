import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { routes } from "@twofactor/functions/http/routes";
import type { SecurityKey } from "@twofactor/core";
import { PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { probeId, probePath } from "../support/probe.js";
import { rawHttp, rawRequest } from "../support/raw-request.js";
import { addKeyThroughStore } from "../support/store-keys.js";
import { useSystem } from "../support/system.js";

/**
 * docs/api.md, Conventions: names are NFC-normalised, trimmed, 1–64 characters without control, format or
 * bidi-override characters or lone surrogates; the user agent is stored cut to 512 characters; path
 * ids are checked before any store call; and no header or body, however large or strange, makes a
 * request answer 5xx.
 */
const ctx = useSystem({}, { cuttableStore: true });
let user: TestUser;
let restore = () => {};
afterEach(() => restore());

beforeAll(async () => {
  user = await signUpAndLogin(ctx.api);
});

const codePoints = (text: string) => [...text].length;

/** A key added through the store, as a registration would (a real one needs a browser: webauthn.test.ts). */
function addKey(userId: string): Promise<SecurityKey> {
  return addKeyThroughStore(ctx.system, userId);
}

const HOSTILE_NAMES: [string, string][] = [
  ["a NUL", "Ada\u0000"],
  ["a bell", "Ada\u0007Lovelace"],
  ["a right-to-left override", "Ada\u202Egnp.exe"],
  ["a first-strong isolate", "\u2068Ada"],
  ["a zero-width space", "Ad\u200Ba"],
  ["a soft hyphen", "Ada\u00ADLovelace"],
  ["a lone high surrogate", "Ada\uD800"],
  ["a lone low surrogate", "\uDC00Ada"],
  ["a line separator", "Ada\u2028Lovelace"],
  ["65 characters", "x".repeat(65)],
  ["65 emoji (65 characters, 130 UTF-16 units)", "😀".repeat(65)],
  ["blanks only", " \t\u3000 "],
  ["nothing", ""],
];

describe("names", () => {
  it("are stored NFC-normalised and trimmed, and counted in characters (code points), not UTF-16 units", async () => {
    const decomposed = "  Zoe\u0308 O\u0304tsuka  "; // e + combining diaeresis, O + combining macron
    const created = await ctx.api.post("/v1/users", { email: `nfc-${randomUUID()}@example.com`, password: PASSWORD, name: decomposed });
    expect(created.status).toBe(201);
    expect(created.body.user.name).toBe("Zoë Ōtsuka");
    expect(created.body.user.name).toBe(created.body.user.name.normalize("NFC"));

    const emoji = "😀".repeat(64); // 64 characters, 128 UTF-16 units
    const login = await ctx.api.post("/v1/users", { email: `emoji-${randomUUID()}@example.com`, password: PASSWORD, name: emoji });
    expect(login.status).toBe(201);
    expect(codePoints(login.body.user.name)).toBe(64);

    const key = await addKey(user.id);
    const renamed = await ctx.api.call("PATCH", `/v1/me/security-keys/${key.id}`, { token: user.token, body: { name: " Cle\u0301 " } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.key.name).toBe("Clé");
    const listed = await ctx.api.get("/v1/me/security-keys", user.token);
    expect(listed.body.items.find((k: { id: string }) => k.id === key.id).name).toBe("Clé");
    const long = await ctx.api.call("PATCH", `/v1/me/security-keys/${key.id}`, { token: user.token, body: { name: emoji } });
    expect(long.status).toBe(200);
    await ctx.system.bus.idle();
  });

  it.each(HOSTILE_NAMES)("refuses a name with %s: 400 validation_failed on sign-up and on rename, nothing stored", async (_, name) => {
    const email = `hostile-${randomUUID()}@example.com`;
    const signUp = await ctx.api.post("/v1/users", { email, password: PASSWORD, name });
    expect(signUp.status).toBe(400);
    expect(signUp.body).toMatchObject({ code: "validation_failed", errors: [expect.objectContaining({ path: "name" })] });
    expect((await ctx.api.post("/v1/users", { email, password: PASSWORD, name: "Ada" })).status).toBe(201); // the email was not taken

    // A user of its own per case: a user has at most 10 keys, and the list's schema says so.
    const owner = await signUpAndLogin(ctx.api, "Hostile");
    const key = await addKey(owner.id);
    const rename = await ctx.api.call("PATCH", `/v1/me/security-keys/${key.id}`, { token: owner.token, body: { name } });
    expect(rename.status).toBe(400);
    expect(rename.body.errors).toEqual([expect.objectContaining({ path: "name" })]);
    const listed = await ctx.api.get("/v1/me/security-keys", owner.token);
    expect(listed.body.items.find((k: { id: string }) => k.id === key.id).name).toBe("Yubi");
  });
});

describe("the user agent", () => {
  it("is stored cut to 512 characters in the events and the security log", async () => {
    // Header bytes are latin-1 on the wire: "é" is the one byte 0xE9, read back as one character.
    const agent = `Mozilla/5.0 (X11; Linux x86_64) ${"é".repeat(300)}${"A".repeat(600)}`;
    const other = await signUpAndLogin(ctx.api, "Agent");
    const body = JSON.stringify({ email: other.email, password: PASSWORD });
    const res = await rawHttp(ctx.system.port, Buffer.from([
      "POST /v1/auth/login HTTP/1.1", "Host: localhost", "Connection: close", "Content-Type: application/json",
      `Content-Length: ${body.length}`, `User-Agent: ${agent}`, "", body,
    ].join("\r\n"), "latin1"));
    expect(res.status).toBe(201);
    await ctx.system.bus.idle();
    const log = await ctx.api.get("/v1/me/security-events?limit=1", other.token);
    expect(log.body.items[0].type).toBe("LoginSucceeded");
    const stored = log.body.items[0].userAgent as string;
    expect(codePoints(stored)).toBe(512);
    expect(stored).toBe(agent.slice(0, 512));
  });

  it("of 512 characters or fewer is stored as sent", async () => {
    const other = await signUpAndLogin(ctx.api, "Short");
    const agent = `curl/8.5.0 ${"x".repeat(501)}`;
    const res = await rawRequest(`${ctx.system.url}/v1/auth/login`, "POST", JSON.stringify({ email: other.email, password: PASSWORD }), {
      "content-type": "application/json", "user-agent": agent,
    });
    expect(res.status).toBe(201);
    await ctx.system.bus.idle();
    const log = await ctx.api.get("/v1/me/security-events?limit=1", other.token);
    expect(log.body.items[0].userAgent).toBe(agent);
  });
});

describe("path ids", () => {
  const withParameters = routes.filter((route) => route.path.includes("{"));

  it("are checked on every route that has one: too long, or outside the alphabet, is 400 validation_failed", async () => {
    expect(withParameters.length).toBeGreaterThan(0);
    for (const route of withParameters) {
      for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map(([, n]) => n!)) {
        for (const bad of ["x".repeat(2000), "a b", "a.b", "<script>", "\u0000", "é", "%zz"]) {
          const path = probePath(route.path).replace(probeId(name), encodeURIComponent(bad));
          const res = await ctx.api.call(route.method, path, { token: user.token });
          expect(res.status, `${route.method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.code).toBe("validation_failed");
          expect(res.body.errors).toEqual([expect.objectContaining({ path: name })]);
        }
      }
    }
  });

  /** Bodies that pass validation, so that a well-formed id goes on to the store. */
  const validBodies: Record<string, unknown> = {
    "POST /v1/auth/challenges/{challengeId}/totp": { code: "123456" },
    "POST /v1/auth/challenges/{challengeId}/recovery-code": { code: "abcde-fghjk" },
    "POST /v1/auth/challenges/{challengeId}/webauthn": {
      response: { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" } },
    },
    "PATCH /v1/me/security-keys/{keyId}": { name: "Key" },
  };

  it("are refused before any store call: with the store down a bad id still answers 400, a good one 503", async () => {
    ctx.storeLine.cut();
    restore = () => ctx.storeLine.mend();
    for (const route of withParameters) {
      const name = /\{(\w+)\}/.exec(route.path)![1]!;
      const bad = await ctx.api.call(route.method, probePath(route.path).replace(probeId(name), "x".repeat(2000)), { token: user.token });
      expect(bad.status, `${route.method} ${route.path}`).toBe(400);
      const body = validBodies[`${route.method} ${route.path}`];
      const good = await ctx.api.call(route.method, probePath(route.path), { token: user.token, body });
      if (body !== undefined || route.method === "DELETE" || route.path.endsWith("/options")) {
        expect(good.status, `${route.method} ${route.path}`).toBe(503);
      } else {
        // A route added later without a sample body here: at least its id was not what was refused.
        expect(good.body.errors ?? [], `${route.method} ${route.path}`).not.toContainEqual(expect.objectContaining({ path: name }));
      }
    }
  });
});

describe("headers no client would send", () => {
  const request = (headers: string, target = "/v1/health") =>
    rawHttp(ctx.system.port, Buffer.concat([Buffer.from(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n`, "latin1"), Buffer.from(headers, "latin1"), Buffer.from("\r\n")]));

  it("a 16 KiB header answers 431 with a problem document", async () => {
    const res = await request(`User-Agent: ${"A".repeat(16 * 1024)}\r\n`);
    expect(res.status).toBe(431);
    expect(res.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: "headers_too_large" });
  });

  it.each([
    ["a NUL in a value", "User-Agent: a\u0000b\r\n"],
    ["a bare CR in a value", "User-Agent: a\rb\r\n"],
    ["DEL in a value", "X-Odd: a\u007Fb\r\n"],
    ["a space in a name", "Bad Name: x\r\n"],
    ["a folded line", "X-Folded: a\r\n  b\r\n"],
    ["two content lengths", "Content-Length: 1\r\nContent-Length: 2\r\n"],
    ["a header without a colon", "NoColon\r\n"],
    ["3000 small headers", Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join("")],
  ])("%s answers a 4xx, never a 5xx", async (_, headers) => {
    const res = await request(headers);
    expect(res.status, res.head).toBeGreaterThanOrEqual(400);
    expect(res.status, res.head).toBeLessThan(500);
  });

  it.each([
    ["latin-1 bytes in the user agent", "User-Agent: Mozilla \u00e9\u00ff\u0080\r\n"],
    ["an 8 KiB authorization header", `Authorization: Bearer ${"x".repeat(8 * 1024)}\r\n`],
    ["an odd content type", "Content-Type: application/json; charset=\u00ff\u00fe\r\n"],
  ])("%s is served, never a 5xx", async (_, headers) => {
    const res = await request(headers, "/v1/me");
    expect(res.status, res.head).toBeGreaterThanOrEqual(200);
    expect(res.status, res.head).toBeLessThan(500);
  });

  it.each(["//", "//a b", "//[", "/v1/auth/challenges/%E0%A4%A/totp", "*"])("the request target %s answers a 4xx", async (target) => {
    const res = await request("", target);
    expect(res.status, res.head).toBeGreaterThanOrEqual(400);
    expect(res.status, res.head).toBeLessThan(500);
  });
});
