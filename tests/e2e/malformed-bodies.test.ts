import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { routes } from "@twofactor/functions/http/routes";
import { signUpAndLogin, type TestUser } from "../support/flows.js";
import { probePath } from "../support/probe.js";
import { rawRequest } from "../support/raw-request.js";
import { useSystem } from "../support/system.js";

/**
 * Every route of routes.ts (so routes added later are covered too) gets at least 100 malformed
 * bodies from a signed-in caller: each must answer a 4xx problem that the OpenAPI document lists,
 * never a 5xx, and store nothing.
 */
const ctx = useSystem();
let user: TestUser;

beforeAll(async () => {
  user = await signUpAndLogin(ctx.api);
  await ctx.api.post("/v1/me/totp", undefined, user.token); // a pending enrollment, so activation has something to refuse
  await ctx.system.bus.idle();
});

const isJson = (text: string) => { try { JSON.parse(text); return true; } catch { return false; } };
const JSON_TYPE = "application/json";

/** Values no field of any schema accepts where a string or boolean is expected. */
const wrongValue = fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
const knownField = fc.constantFrom("code", "email", "password", "name", "rememberDevice", "enabled", "role");

const malformed: fc.Arbitrary<{ body: string; type: string }> = fc.oneof(
  // Not JSON at all.
  fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== "" && !isJson(s)).map((body) => ({ body, type: JSON_TYPE })),
  // JSON, but not an object.
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 50 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }))
    .map((value) => ({ body: JSON.stringify(value), type: JSON_TYPE })),
  // An object with a field no route knows (bodies are strict).
  fc.tuple(fc.dictionary(knownField, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([known, extra, value]) => ({ body: JSON.stringify({ ...known, [`x_${extra}`]: value }), type: JSON_TYPE })),
  // Known fields of the wrong type.
  fc.dictionary(knownField, wrongValue, { minKeys: 1, maxKeys: 4 }).map((value) => ({ body: JSON.stringify(value), type: JSON_TYPE })),
  // Too large.
  fc.integer({ min: 16 * 1024 + 1, max: 64 * 1024 }).map((size) => ({ body: JSON.stringify({ code: "1".repeat(size) }), type: JSON_TYPE })),
  // Not declared as JSON.
  fc.tuple(fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim() !== ""), fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""))
    .map(([body, type]) => ({ body, type })),
);

async function tableSnapshot() {
  const { client, name } = ctx.system.runtime.table;
  const items = (await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? [];
  return items.map((item) => JSON.stringify(item)).sort();
}

describe("malformed bodies on every route", () => {
  it.each(routes.map((route) => ({ ...route })))("$method $path: only 4xx problems, nothing stored", async (route) => {
    const url = ctx.system.url + probePath(route.path);
    const before = await tableSnapshot();
    await fc.assert(
      fc.asyncProperty(malformed, async ({ body, type }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${user.token}` };
        if (type) headers["content-type"] = type;
        const res = await rawRequest(url, route.method, body, headers);
        ctx.contract.expect(route.method, url, { status: res.status, headers: { "content-type": res.contentType }, text: res.body });
        expect(res.status, res.body).toBeGreaterThanOrEqual(400);
        expect(res.status, res.body).toBeLessThan(500);
        expect(res.contentType).toBe("application/problem+json");
        const problem = JSON.parse(res.body);
        expect(problem).toMatchObject({ status: res.status, code: expect.stringMatching(/^[a-z_]+$/), title: expect.any(String), detail: expect.any(String) });
      }),
      { numRuns: 100 },
    );
    await ctx.system.bus.idle();
    expect(await tableSnapshot()).toEqual(before);
  }, 120_000);
});
